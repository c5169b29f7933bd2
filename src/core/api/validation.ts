// Checks on what we send to the AI Studios API (credentials, speech requests) and on what it sends back
// (speech results, model lists). What fails here never reaches the network, or never reaches the disk.

import type { Credentials } from './credentials';
import { InputError, ProtocolError } from '../errors';
import type { Logger } from '../logger';
import { isAllowedRemoteUrl } from './host';
import { cleanServerText, isFilledString, isObject, type JsonObject } from './jsonAnswer';
import type { SpeechRequest, SpeechResult } from './speechService';
import { checkVoiceParams } from './voiceParams';

export interface VoiceModel {
  id: string;
  label: string;
}

/** A token goes into a header: printable ASCII without spaces (node-fetch would otherwise throw with the token in its message). */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const MAX_TOKEN_LENGTH = 8192;
const MAX_LABEL_LENGTH = 200;

/** True for a string that can be sent as a token: printable ASCII, no spaces, at most 8,192 characters. */
export function isUsableToken(token: unknown): token is string {
  return isFilledString(token) && TOKEN_PATTERN.test(token) && token.length <= MAX_TOKEN_LENGTH;
}

/**
 * Trims the credentials once (these values alone go into headers, bodies and redaction) and refuses unusable ones.
 * Throws InputError for an empty key or a token with characters a token cannot have.
 */
export function normalizeCredentials(c: Credentials): Credentials {
  if (c.kind === 'token') {
    if (!isFilledString(c.token)) throw new InputError('The AI Studios API key is empty.');
    const token = c.token.trim();
    if (!isUsableToken(token))
      throw new InputError('The API token contains characters a token cannot have; paste it again.');
    return { kind: 'token', token };
  }
  if (!isFilledString(c.appId) || !isFilledString(c.userKey)) throw new InputError('The AI Studios API key is empty.');
  return { kind: 'appKey', appId: c.appId.trim(), userKey: c.userKey.trim() };
}

/**
 * Refuses a speech request before it is sent (InputError): no text, more than maxTextCharacters characters
 * (code points), a voice checkVoiceParams refuses (an empty or odd model id, a language that is not a code).
 */
export function validateSpeechRequest(request: SpeechRequest, maxTextCharacters: number): SpeechRequest {
  const { text, voice } = request ?? ({} as SpeechRequest);
  if (typeof text !== 'string' || text.trim() === '') throw new InputError('There is no text to speak.');
  const characters = Array.from(text).length;
  if (characters > maxTextCharacters) {
    throw new InputError(
      `The text has ${characters} characters, more than the ${maxTextCharacters} allowed in one request.`,
    );
  }
  return { text, voice: checkVoiceParams(voice) };
}

/**
 * Checks a speech answer's payload (ProtocolError when unusable); the result's downloadUrl is absolute. A relative `downloadUrl` ("/files/a.mp3") is
 * resolved against the API's origin (WHATWG URL parsing with the origin as base); then, relative or not, it must be
 * https:, or http: to loopback when `allowLoopbackHttp` (the API itself is on loopback), never with user:password@.
 */
export function validateSpeechResult(p: JsonObject, api: { origin: string; allowLoopbackHttp: boolean }): SpeechResult {
  if (!isFilledString(p.fileName) || p.fileName.length > 1024)
    throw new ProtocolError('AI Studios sent an answer without a valid fileName.');
  if (!isFilledString(p.downloadUrl) || p.downloadUrl.length > 8192)
    throw new ProtocolError('AI Studios sent an answer without a valid downloadUrl.');
  let downloadUrl: URL;
  try {
    downloadUrl = new URL(p.downloadUrl.trim(), `${api.origin}/`);
  } catch {
    throw new ProtocolError('AI Studios sent a downloadUrl that is not a valid address.');
  }
  if (!isAllowedRemoteUrl(downloadUrl, { allowLoopbackHttp: api.allowLoopbackHttp })) {
    throw new ProtocolError('AI Studios sent a download link that is not a safe https: address.');
  }
  // metaList is undocumented and unused by us: tolerate its absence, but not a wrong type.
  if (p.metaList !== undefined && !Array.isArray(p.metaList))
    throw new ProtocolError('AI Studios sent a metaList that is not a list.');
  return { fileName: p.fileName, downloadUrl, metaList: Array.isArray(p.metaList) ? [...p.metaList] : [] };
}

/** The models of a model-list answer, without duplicates or entries lacking an id (ProtocolError when not a list). */
export function parseModelList(p: JsonObject, logger: Logger): VoiceModel[] {
  if (!Array.isArray(p.models)) throw new ProtocolError('AI Studios sent a model list that is not a list.');
  const seen = new Set<string>();
  const models: VoiceModel[] = [];
  for (const item of p.models) {
    if (!isObject(item) || !isFilledString(item.id)) continue;
    const id = cleanServerText(item.id, MAX_LABEL_LENGTH);
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    models.push({ id, label: modelLabel(item.label, id) });
  }
  if (models.length < p.models.length)
    logger.debug(`Ignored ${p.models.length - models.length} model entries without a usable id.`);
  return models;
}

/** The English name, then the Korean one, then the id. */
function modelLabel(label: unknown, id: string): string {
  const candidates = isObject(label) ? [label.en, label.ko] : [label];
  for (const candidate of candidates) {
    if (isFilledString(candidate)) {
      const cleaned = cleanServerText(candidate, MAX_LABEL_LENGTH);
      if (cleaned !== '') return cleaned;
    }
  }
  return id;
}
