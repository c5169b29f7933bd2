// The narration preview's words in the display language: every phrase through vscode.l10n.t (the core's English
// ones are englishPreviewLabels, used by the CLI and the tests).
import * as vscode from 'vscode';
import type { CastSource, ModeReason, PreviewLabels, SilenceReason } from '../core';

/** Why a part of a script is not spoken, in the display language (the preview's and the editor view's words). */
export function silenceReasonWords(reason: SilenceReason): string {
  const words: Record<SilenceReason, string> = {
    'front matter': vscode.l10n.t('front matter'),
    'code block': vscode.l10n.t('code block'),
    'indented code': vscode.l10n.t('indented code'),
    math: vscode.l10n.t('math'),
    table: vscode.l10n.t('table'),
    comment: vscode.l10n.t('comment'),
    'note line': vscode.l10n.t('note line'),
    footnote: vscode.l10n.t('footnote'),
    'link definition': vscode.l10n.t('link definition'),
    image: vscode.l10n.t('image'),
    embed: vscode.l10n.t('embed'),
    'HTML markup': vscode.l10n.t('HTML markup'),
    'production label': vscode.l10n.t('production label'),
    metadata: vscode.l10n.t('metadata'),
    'stage direction': vscode.l10n.t('stage direction'),
    'delivery cue': vscode.l10n.t('delivery cue'),
    timecode: vscode.l10n.t('timecode'),
    'outside the narration': vscode.l10n.t('outside the narration'),
  };
  return words[reason] ?? reason;
}

/** The preview's words in the display language. */
export function previewLabels(): PreviewLabels {
  const count = (n: number) => n.toLocaleString(vscode.env.language);
  const characters = (n: number) =>
    n === 1 ? vscode.l10n.t('1 character') : vscode.l10n.t('{0} characters', count(n));
  const castBy: Record<CastSource, string> = {
    'command line': '--voice',
    'front matter': vscode.l10n.t('front matter'),
    settings: vscode.l10n.t('settings'),
  };
  return {
    header: (sourceName, requests, total, limit) =>
      vscode.l10n.t(
        'Narration of {0}: {1}, {2} (at most {3} per request).',
        sourceName,
        requests === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', count(requests)),
        characters(total),
        count(limit),
      ),
    voice: (model, language) => vscode.l10n.t('Voice {0}, language {1}.', model, language),
    cachedCount: (cached, total) =>
      cached === 0
        ? vscode.l10n.t('None of the {0} parts is cached yet: each is requested when you generate.', total)
        : vscode.l10n.t('{0} of {1} already cached: they cost nothing to regenerate.', cached, total),
    part: (number, total, flags) => vscode.l10n.t('Part {0} of {1} · {2}', number, total, flags),
    silent: (where, reason, detail) => {
      const silence = vscode.l10n.t('Silent · {0} · {1}', where, silenceReasonWords(reason));
      if (!detail) return silence;
      return reason === 'outside the narration'
        ? vscode.l10n.t('{0} (speaking {1})', silence, detail)
        : `${silence} “${detail}”`;
    },
    characters,
    line: (line) => vscode.l10n.t('line {0}', line),
    lines: (start, end) => vscode.l10n.t('lines {0}–{1}', start, end),
    cached: vscode.l10n.t('cached'),
    new: vscode.l10n.t('new'),
    reading: (mode, reason) =>
      reason.kind === 'set'
        ? vscode.l10n.t('Reading: {0}, set by {1}.', mode, setBy(reason.by))
        : vscode.l10n.t('Reading (auto): {0}.', why(reason, count)),
    speakers: (list) => vscode.l10n.t('Speakers: {0}.', list.join('; ')),
    castSpeaker: (name, model, language, by) =>
      vscode.l10n.t('{0}: {1} ({2})', name, language ? `${model}, ${language}` : model, castBy[by]),
    uncastSpeaker: (name, defaultModel) =>
      vscode.l10n.t('{0}: uncast, the default voice {1}', name, defaultModel ?? ''),
    pronunciations: (list) => vscode.l10n.t('Pronunciations: {0}.', list.join('; ')),
    pronunciation: (word, said, where) => `${word} → ${said} (${where})`,
    problem: (text) => vscode.l10n.t('Not read: {0}', text),
    pauses: (n, seconds) =>
      n === 1
        ? vscode.l10n.t('1 pause of the script: {0} of silence in all.', seconds)
        : vscode.l10n.t('{0} pauses of the script: {1} of silence in all.', count(n), seconds),
    pause: (seconds, where) => vscode.l10n.t('Pause {0} · {1}', seconds, where),
    seconds: (ms) =>
      vscode.l10n.t('{0} s', (ms / 1000).toLocaleString(vscode.env.language, { maximumFractionDigits: 3 })),
    voiceFlag: (model, language) => vscode.l10n.t('voice {0}, {1}', model, language),
  };
}

function setBy(by: CastSource): string {
  switch (by) {
    case 'command line':
      return '--speak';
    case 'front matter':
      return vscode.l10n.t('the front matter’s speak:');
    case 'settings':
      return vscode.l10n.t('the aistudios.script.speak setting');
  }
}

/** Why `auto` chose its mode, in the display language. */
function why(reason: Exclude<ModeReason, { kind: 'set' }>, count: (n: number) => string): string {
  switch (reason.kind) {
    case 'column':
      return vscode.l10n.t(
        'speaking only the {0} column of {1} table(s) ({2} rows)',
        reason.headers.map((h) => `“${h}”`).join(', '),
        count(reason.tables),
        count(reason.rows),
      );
    case 'headings':
      return vscode.l10n.t(
        'speaking only what is under {0} heading(s) naming the narration (“{1}”)',
        count(reason.count),
        reason.first,
      );
    case 'narrator quoted':
      return vscode.l10n.t(
        'speaking only block quotes: {0} of {1} narrated parts (“{2}”) are quoted',
        count(reason.quoted),
        count(reason.total),
        reason.name,
      );
    case 'quoted':
      return vscode.l10n.t(
        'speaking only block quotes: {0} of {1} narrated paragraphs are quoted',
        count(reason.quoted),
        count(reason.total),
      );
    case 'narrator labelled':
      return vscode.l10n.t(
        'speaking only the speakers’ lines: the narration is labelled “{0}” ({1} parts)',
        reason.name,
        count(reason.total),
      );
    case 'speakers':
      return vscode.l10n.t(
        'speaking only the speakers’ lines: {0} of {1} paragraphs have a speaker ({2})',
        count(reason.withSpeaker),
        count(reason.total),
        reason.names.length > 3 ? `${reason.names.slice(0, 3).join(', ')}, …` : reason.names.join(', '),
      );
    case 'none':
      return vscode.l10n.t(
        'speaking everything but cues and notes: no narration markers (block quotes, narration headings or columns, speaker labels)',
      );
  }
}
