// The pipeline's figures against the fake server, in this process: the core's overhead over a raw request and
// download, the speedup of concurrent requests, and the requests the cache saves.
import { once } from 'events';
import { createWriteStream } from 'fs';
import * as http from 'http';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { AiStudiosClient } from '../../src/core/api/client';
import { AudioCache } from '../../src/core/cache/audioCache';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { silentLogger } from '../../src/core/logger';
import { chunkNarration } from '../../src/core/narration/chunker';
import { markdownToNarration } from '../../src/core/narration/narration';
import { generateAudio, placeGeneration } from '../../src/core/pipeline/generation';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import type { TempFolders } from './benchPaths';
import { compare, timeNs, type ComparisonResult } from './measure';
import { oneChunkPerParagraphScript } from './syntheticScripts';

const VOICE = { model: 'M000045058', language: 'en' };

function clientFor(server: FakeServer): AiStudiosClient {
  return new AiStudiosClient({
    baseUrl: server.url,
    credentials: { kind: 'token', token: DEMO_TOKEN },
    logger: silentLogger,
  });
}

/** The raw floor of one part: one POST with Node's http, then the audio streamed to a file. Nothing checked. */
export async function rawRoundTrip(serverUrl: string, text: string, outFile: string): Promise<void> {
  const body = JSON.stringify({ language: VOICE.language, text, model: VOICE.model });
  const request = http.request(`${serverUrl}/api/odin/v3/simple/audio`, {
    method: 'POST',
    headers: {
      Authorization: DEMO_TOKEN,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    },
  });
  request.end(body);
  const [answer] = (await once(request, 'response')) as [http.IncomingMessage];
  let json = '';
  for await (const data of answer) json += String(data);
  const downloadUrl = (JSON.parse(json) as { data: { downloadUrl: string } }).data.downloadUrl;
  const download = http.get(downloadUrl);
  const [audio] = (await once(download, 'response')) as [http.IncomingMessage];
  await pipeline(audio, createWriteStream(outFile));
}

/**
 * overhead_vs_raw: the core's generation of a 1,500-character script — chunk, request, download, cache, join,
 * placement — ÷ a raw POST + streamed download of the same text, alternately against the same fake server (50 ms
 * latency). Both start from the script's narration (markdown → narration has its own figure, narration_vs_parse).
 * Every run speaks a text of its own, so nothing comes from the cache.
 */
export async function overheadFigure(folders: TempFolders): Promise<ComparisonResult> {
  const server = await startFakeServer({ latencyMs: 50 });
  try {
    const client = clientFor(server);
    const cache = new AudioCache({ directory: folders.make('overhead-cache') });
    let run = 0;
    const narration = () => markdownToNarration(oneChunkPerParagraphScript(1, ` (take ${++run})`));
    const sample = narration();
    if (chunkNarration(sample, 2000, VOICE).length !== 1) throw new Error('bench: the overhead script is not one part');
    let bytes = 0;
    return await compare({
      name: `generate ${sample.text.length.toLocaleString('en')} characters (fake server, 50 ms latency)`,
      baselineLabel: 'raw http POST + streamed download to a file',
      subjectLabel: 'core: chunk, request, download, cache, join, placement',
      baseline: async () => {
        const { text } = narration();
        const out = path.join(folders.make('overhead-raw'), 'raw.mp3');
        return timeNs(() => rawRoundTrip(server.url, text, out));
      },
      subject: async () => {
        const script = narration();
        const out = folders.make('overhead-core');
        let generation: Awaited<ReturnType<typeof generateAudio>> | undefined;
        try {
          // Until the file is in place, as the raw side's ends when its file is written; the run's cleanup after.
          return await timeNs(async () => {
            const chunks = chunkNarration(script, 2000, VOICE);
            generation = await generateAudio(
              { chunks, host: server.url, sectionPauseMs: 0, perSection: false },
              { client, cache, concurrency: 3, logger: silentLogger },
            );
            const [placed] = await placeGeneration(nodeFileSystem, out, generation, {
              mainBaseName: 'script',
              ifExists: () => 'number',
            });
            bytes = generation.files[0]!.rendered.bytes;
            if (!placed) throw new Error('bench: nothing was placed');
          });
        } finally {
          await generation?.dispose();
        }
      },
      runs: 21,
      warmup: 3,
      note: () => `one part, ${bytes.toLocaleString('en')} bytes of MP3 from the fake server's tones`,
    });
  } finally {
    await server.close();
  }
}

/** concurrency_speedup: the same 40 parts at concurrency 1 and 4, 300 ms latency on every request (one pair). */
export async function concurrencyFigure(folders: TempFolders): Promise<ComparisonResult> {
  const server = await startFakeServer({ latencyMs: 300 });
  try {
    const client = clientFor(server);
    const cache = new AudioCache({ directory: folders.make('concurrency-cache') });
    let run = 0;
    const generate = (concurrency: number) => async (): Promise<number> => {
      const chunks = chunkNarration(
        markdownToNarration(oneChunkPerParagraphScript(40, ` (run ${++run})`)),
        2000,
        VOICE,
      );
      if (chunks.length !== 40) throw new Error(`bench: the concurrency script made ${chunks.length} parts`);
      return timeNs(async () => {
        const generation = await generateAudio(
          { chunks, host: server.url, sectionPauseMs: 0, perSection: false },
          { client, cache, concurrency, logger: silentLogger },
        );
        await generation.dispose();
      });
    };
    // The speedup is a ratio of times dominated by the server's latency; one pair is enough, and takes 30 s.
    const result = await compare({
      name: 'generate 40 parts (fake server, 300 ms latency)',
      baselineLabel: 'concurrency 4',
      subjectLabel: 'concurrency 1',
      baseline: generate(4),
      subject: generate(1),
      runs: 1,
      warmup: 0,
    });
    return result;
  } finally {
    await server.close();
  }
}

/** cache_requests_unchanged / cache_requests_one_edit: speech requests on a re-run, and after one paragraph changed. */
export async function cacheRequestFigures(folders: TempFolders): Promise<{ unchanged: number; oneEdit: number }> {
  const server = await startFakeServer();
  try {
    const client = clientFor(server);
    const cache = new AudioCache({ directory: folders.make('cache-requests') });
    const script = oneChunkPerParagraphScript(40);
    const generate = async (markdown: string): Promise<number> => {
      const chunks = chunkNarration(markdownToNarration(markdown), 2000, VOICE);
      if (chunks.length !== 40) throw new Error(`bench: the cache script made ${chunks.length} parts`);
      server.reset();
      const generation = await generateAudio(
        { chunks, host: server.url, sectionPauseMs: 0, perSection: false },
        { client, cache, concurrency: 3, logger: silentLogger },
      );
      await generation.dispose();
      return server.counts.speech;
    };
    const first = await generate(script);
    if (first !== 40) throw new Error(`bench: the first run made ${first} requests, expected 40`);
    const unchanged = await generate(script);
    const paragraphs = script.split('\n\n');
    paragraphs[17] = `An edited paragraph. ${paragraphs[17]}`;
    const oneEdit = await generate(paragraphs.join('\n\n'));
    return { unchanged, oneEdit };
  } finally {
    await server.close();
  }
}
