// Math in markdown (`$…$` in text, `$$ … $$` blocks) through micromark-extension-math, with one change: a single
// dollar opens inline math only where Pandoc's `tex_math_dollars` rule says it does, so prices stay text.
// "Tickets cost $15 on Friday and $20 on Saturday." has no math: the second `$` follows a space, so it closes nothing.
import { math } from 'micromark-extension-math';
import { asciiDigit, markdownLineEndingOrSpace } from 'micromark-util-character';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mathTextDelimiterCheck: 'mathTextDelimiterCheck';
  }
}

const DOLLAR = 36;

/**
 * The micromark extension for math: flow math (`$$` fences) as micromark-extension-math parses it; text math as it
 * does, except that a single-dollar span needs a non-space after its opening `$`, a non-space before its closing
 * `$` and no digit right after it (Pandoc's rule); otherwise both dollars are plain text.
 */
export function mathSyntax(): Extension {
  const base = math();
  const textMath = asConstruct(base.text?.[DOLLAR]);
  const guarded: Construct = {
    ...textMath,
    tokenize(this: TokenizeContext, effects, ok, nok) {
      const parse = textMath.tokenize.call(this, effects, ok, nok);
      return effects.check(delimitersCheck, parse, nok);
    },
  };
  return { flow: base.flow, text: { [DOLLAR]: guarded } };
}

function asConstruct(value: Construct | Construct[] | undefined): Construct {
  const construct = Array.isArray(value) ? value[0] : value;
  if (!construct) throw new Error('micromark-extension-math has no text construct for "$"');
  return construct;
}

/** Looks ahead from an opening `$` run: is it math by Pandoc's rule? (Runs of two or more are left to the parser.) */
const delimitersCheck: Construct = { tokenize: tokenizeDelimiters, partial: true };

function tokenizeDelimiters(effects: Effects, ok: State, nok: State): State {
  let openSize = 0;
  let before: Code = null;
  let closeSize = 0;
  return start;

  function start(code: Code): State | undefined {
    effects.enter('mathTextDelimiterCheck');
    return opening(code);
  }

  function opening(code: Code): State | undefined {
    if (code === DOLLAR) {
      openSize++;
      effects.consume(code);
      return opening;
    }
    if (openSize > 1) return done(ok)(code);
    if (code === null || markdownLineEndingOrSpace(code)) return done(nok)(code);
    return inside(code);
  }

  function inside(code: Code): State | undefined {
    if (code === null) return done(nok)(code);
    if (code === DOLLAR) {
      closeSize = 0;
      return closing(code);
    }
    before = code;
    effects.consume(code);
    return inside;
  }

  function closing(code: Code): State | undefined {
    if (code === DOLLAR) {
      closeSize++;
      effects.consume(code);
      return closing;
    }
    // The parser closes at the first run as long as the opening one: only that run decides.
    if (closeSize !== openSize) {
      before = DOLLAR;
      return inside(code);
    }
    const closes = !markdownLineEndingOrSpace(before) && !asciiDigit(code);
    return done(closes ? ok : nok)(code);
  }

  function done(next: State): State {
    return (code) => {
      effects.exit('mathTextDelimiterCheck');
      return next(code);
    };
  }
}
