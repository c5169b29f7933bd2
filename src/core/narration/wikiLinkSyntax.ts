// Obsidian's wikilinks `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]`, `[[Note#^block]]` and embeds `![[file]]`,
// as a micromark extension and its mdast node. No maintained package parses both links and embeds, so this is ours.
// Syntax as Obsidian documents it: no line break and no square bracket inside; the first `|` (or `\|`, as written
// inside a table) separates the alias.
import type { Literal } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';
import { markdownLineEnding, markdownSpace } from 'micromark-util-character';
import type { Code, Construct, Effects, Extension, State } from 'micromark-util-types';

/** A wikilink or embed; `value` is what Obsidian shows for it (alias, else the target without `#…`/`^…`). */
export interface WikiLink extends Literal {
  type: 'wikiLink';
  /** `![[…]]`: the file is shown (an image, audio, a PDF, another note), not linked. */
  embed: boolean;
  /** The link's target as written: `Note#Heading`. */
  target: string;
  /** Text after the first `|`, if any. */
  alias?: string;
  /** Source offset (UTF-16) of the first character of value. */
  valueOffset: number;
}

declare module 'mdast' {
  interface PhrasingContentMap {
    wikiLink: WikiLink;
  }
  interface RootContentMap {
    wikiLink: WikiLink;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    wikiLink: 'wikiLink';
    wikiLinkMarker: 'wikiLinkMarker';
    wikiLinkContent: 'wikiLinkContent';
  }
}

const EXCLAMATION = 33;
const LEFT_BRACKET = 91;
const RIGHT_BRACKET = 93;

const wikiLink: Construct = { name: 'wikiLink', tokenize: tokenizeWikiLink };

/** The micromark extension for `[[…]]` and `![[…]]` (tried before CommonMark's links and images). */
export function wikiLinkSyntax(): Extension {
  return { text: { [LEFT_BRACKET]: wikiLink, [EXCLAMATION]: wikiLink } };
}

function tokenizeWikiLink(effects: Effects, ok: State, nok: State): State {
  let brackets = 0;
  let contentSize = 0;
  return start;

  function start(code: Code): State | undefined {
    effects.enter('wikiLink');
    effects.enter('wikiLinkMarker');
    if (code === EXCLAMATION) {
      effects.consume(code);
      return open;
    }
    return open(code);
  }

  function open(code: Code): State | undefined {
    if (code !== LEFT_BRACKET) return nok(code);
    effects.consume(code);
    if (++brackets < 2) return open;
    effects.exit('wikiLinkMarker');
    effects.enter('wikiLinkContent');
    return content;
  }

  function content(code: Code): State | undefined {
    if (code === null || code === LEFT_BRACKET || markdownLineEnding(code)) return nok(code);
    if (code === RIGHT_BRACKET) {
      // `[[ ]]` links nowhere: text.
      if (contentSize === 0) return nok(code);
      effects.exit('wikiLinkContent');
      effects.enter('wikiLinkMarker');
      brackets = 0;
      return close(code);
    }
    if (!markdownSpace(code)) contentSize++;
    effects.consume(code);
    return content;
  }

  function close(code: Code): State | undefined {
    if (code !== RIGHT_BRACKET) return nok(code);
    effects.consume(code);
    if (++brackets < 2) return close;
    effects.exit('wikiLinkMarker');
    effects.exit('wikiLink');
    return ok;
  }
}

/** The mdast side: a `wikiLink` node per `[[…]]`. */
export function wikiLinkFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      wikiLink(this: CompileContext, token: Token) {
        const embed = this.sliceSerialize(token).startsWith('!');
        this.enter({ type: 'wikiLink', embed, target: '', value: '', valueOffset: token.start.offset }, token);
      },
    },
    exit: {
      wikiLinkContent(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as WikiLink;
        Object.assign(node, describe(this.sliceSerialize(token), token.start.offset));
      },
      wikiLink(this: CompileContext, token: Token) {
        this.exit(token);
      },
    },
  };
}

function describe(content: string, offset: number): Pick<WikiLink, 'target' | 'alias' | 'value' | 'valueOffset'> {
  const divider = /\\?\|/.exec(content);
  if (divider) {
    const aliasStart = divider.index + divider[0].length;
    const alias = content.slice(aliasStart);
    return { target: content.slice(0, divider.index), alias, value: alias, valueOffset: offset + aliasStart };
  }
  // `Note#Heading` shows as "Note"; `#Heading` (a heading of this note) as "Heading"; a block id is never shown.
  const page = /^[^#^]*/.exec(content)?.[0] ?? '';
  if (page.trim() !== '') return { target: content, value: page, valueOffset: offset };
  const heading = /^#([^#^]*)/.exec(content);
  return { target: content, value: heading?.[1] ?? '', valueOffset: offset + 1 };
}
