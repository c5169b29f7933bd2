// The one seam between the pipeline and a text-to-speech service: what synthesis needs and nothing more.
// AiStudiosClient implements it over HTTP; unit tests use an in-memory one (test/unit/fixtures/memorySpeechService.ts).

import type { DownloadedFile, DownloadTarget } from './download';
import type { VoiceParams } from './voiceParams';

/** One text to speak, in one voice. */
export interface SpeechRequest {
  text: string;
  voice: VoiceParams;
}

/** Where the made audio waits; the vendor may delete it at any time, so it is downloaded at once. */
export interface SpeechResult {
  fileName: string;
  downloadUrl: URL;
  /** Undocumented by the vendor; passed through, never relied on. */
  metaList: unknown[];
}

/** A text-to-speech service as the pipeline sees it. */
export interface SpeechService {
  /** Has the text spoken in the voice (this is what costs credits); rejects with the core's typed errors. */
  requestSpeech(request: SpeechRequest, signal?: AbortSignal): Promise<SpeechResult>;
  /**
   * Saves the audio of a result into `target.directory` under a new name (never replacing a file unless asked).
   * It owns `target.part` when given: it writes that file, or closes and removes it.
   */
  download(result: SpeechResult, target: DownloadTarget, signal?: AbortSignal): Promise<DownloadedFile>;
}
