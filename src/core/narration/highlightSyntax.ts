// Obsidian's `==highlight==`, as a micromark extension and its mdast node: the marks are attention markers exactly
// like GFM's `~~strikethrough~~` (two of them, left-flanking to open, right-flanking to close), so this follows
// micromark-extension-gfm-strikethrough (MIT) with `=` for `~` and runs of exactly two. The maintained package for
// it ships a test library in its runtime code, hence ours.
import type { Parent, PhrasingContent } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';
import { splice } from 'micromark-util-chunked';
import { classifyCharacter } from 'micromark-util-classify-character';
import { resolveAll } from 'micromark-util-resolve-all';
import type { Code, Construct, Effects, Event, Extension, State, TokenizeContext } from 'micromark-util-types';

/** Highlighted text: spoken as the words inside. */
export interface Highlight extends Parent {
  type: 'highlight';
  children: PhrasingContent[];
}

declare module 'mdast' {
  interface PhrasingContentMap {
    highlight: Highlight;
  }
  interface RootContentMap {
    highlight: Highlight;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    highlight: 'highlight';
    highlightSequence: 'highlightSequence';
    highlightSequenceTemporary: 'highlightSequenceTemporary';
    highlightText: 'highlightText';
  }
}

const EQUALS = 61;
/** classifyCharacter's answer for punctuation (1 is whitespace, undefined anything else). */
const PUNCTUATION = 2;

const highlight: Construct = { name: 'highlight', tokenize: tokenizeHighlight, resolveAll: resolveAllHighlight };

/** The micromark extension for `==…==`. */
export function highlightSyntax(): Extension {
  return { text: { [EQUALS]: highlight }, insideSpan: { null: [highlight] }, attentionMarkers: { null: [EQUALS] } };
}

function tokenizeHighlight(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const previous = this.previous;
  const events = this.events;
  let size = 0;
  return start;

  function start(code: Code): State | undefined {
    if (previous === EQUALS && events[events.length - 1][1].type !== 'characterEscape') return nok(code);
    effects.enter('highlightSequenceTemporary');
    return more(code);
  }

  function more(code: Code): State | undefined {
    const before = classifyCharacter(previous);
    if (code === EQUALS) {
      if (size > 1) return nok(code);
      effects.consume(code);
      size++;
      return more;
    }
    if (size < 2) return nok(code);
    const token = effects.exit('highlightSequenceTemporary');
    const after = classifyCharacter(code);
    token._open = !after || (after === PUNCTUATION && Boolean(before));
    token._close = !before || (before === PUNCTUATION && Boolean(after));
    return ok(code);
  }
}

/** Pairs each closing run with the nearest opening one before it and wraps what lies between. */
function resolveAllHighlight(events: Event[], context: TokenizeContext): Event[] {
  for (let index = 0; index < events.length; index++) {
    const closer = events[index][1];
    if (events[index][0] !== 'enter' || closer.type !== 'highlightSequenceTemporary' || !closer._close) continue;
    for (let open = index - 1; open >= 0; open--) {
      const opener = events[open][1];
      if (events[open][0] !== 'exit' || opener.type !== 'highlightSequenceTemporary' || !opener._open) continue;
      opener.type = 'highlightSequence';
      closer.type = 'highlightSequence';
      const whole = { type: 'highlight' as const, start: { ...opener.start }, end: { ...closer.end } };
      const text = { type: 'highlightText' as const, start: { ...opener.end }, end: { ...closer.start } };
      const next: Event[] = [
        ['enter', whole, context],
        ['enter', opener, context],
        ['exit', opener, context],
        ['enter', text, context],
      ];
      const insideSpan = context.parser.constructs.insideSpan.null;
      if (insideSpan) splice(next, next.length, 0, resolveAll(insideSpan, events.slice(open + 1, index), context));
      splice(next, next.length, 0, [
        ['exit', text, context],
        ['enter', closer, context],
        ['exit', closer, context],
        ['exit', whole, context],
      ]);
      splice(events, open - 1, index - open + 3, next);
      index = open + next.length - 2;
      break;
    }
  }
  // Runs left unpaired are text.
  for (const event of events) if (event[1].type === 'highlightSequenceTemporary') event[1].type = 'data';
  return events;
}

/** The mdast side: a `highlight` node around its phrasing content. */
export function highlightFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      highlight(this: CompileContext, token: Token) {
        this.enter({ type: 'highlight', children: [] }, token);
      },
    },
    exit: {
      highlight(this: CompileContext, token: Token) {
        this.exit(token);
      },
    },
  };
}
