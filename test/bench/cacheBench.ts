// The cache: one generation of a 30-chunk script through synthesizeChunks against the fake server with network-like
// latency, on an empty cache (every chunk requested and downloaded) and on a full one (nothing requested).
import { AiStudiosClient } from '../../src/core/api/client';
import { AudioCache } from '../../src/core/cache/audioCache';
import { chunkNarration } from '../../src/core/narration/chunker';
import { silentLogger } from '../../src/core/logger';
import { markdownToNarration } from '../../src/core/narration/narration';
import { synthesizeChunks, type SynthesisRequest } from '../../src/core/pipeline/synthesis';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import type { TempFolders } from './benchPaths';
import { compare, timeNs, type ComparisonResult } from './measure';
import { oneChunkPerParagraphScript } from './syntheticScripts';

const CONCURRENCY = 3;

interface RequestCounts {
  speech: Set<number>;
  file: Set<number>;
}

function describeCounts(counts: RequestCounts): string {
  const show = (values: Set<number>): string => [...values].sort((a, b) => a - b).join('/');
  return `${show(counts.speech)} speech + ${show(counts.file)} file requests per run`;
}

/** Warm ÷ cold generation of `chunkCount` chunks, with the server answering every request after latencyMs. */
export async function cacheBench(
  folders: TempFolders,
  chunkCount: number,
  latencyMs: number,
): Promise<ComparisonResult> {
  const chunks = chunkNarration(markdownToNarration(oneChunkPerParagraphScript(chunkCount)), 2000, {
    model: 'M000045058',
    language: 'en',
  });
  if (chunks.length !== chunkCount)
    throw new Error(`bench: the cache script made ${chunks.length} chunks, expected ${chunkCount}`);
  const server: FakeServer = await startFakeServer({ latencyMs });
  try {
    const client = new AiStudiosClient({
      baseUrl: server.url,
      credentials: { kind: 'token', token: DEMO_TOKEN },
      logger: silentLogger,
    });
    const request: SynthesisRequest = { chunks, host: server.url };
    const warmCache = new AudioCache({ directory: folders.make('cache-warm') });
    const cold: RequestCounts = { speech: new Set(), file: new Set() };
    const warm: RequestCounts = { speech: new Set(), file: new Set() };

    /** One generation, timed without its folder set-up; records the requests it made. */
    const generate = async (cache: AudioCache, counts: RequestCounts): Promise<number> => {
      const workDirectory = folders.make('work');
      server.reset();
      const elapsed = await timeNs(() =>
        synthesizeChunks(request, { client, cache, workDirectory, concurrency: CONCURRENCY, logger: silentLogger }),
      );
      counts.speech.add(server.counts.speech);
      counts.file.add(server.counts.file);
      return elapsed;
    };

    await generate(warmCache, { speech: new Set(), file: new Set() }); // fills the warm cache
    return await compare({
      name: `generate ${chunkCount} chunks (fake server, ${latencyMs} ms latency, concurrency ${CONCURRENCY})`,
      baselineLabel: 'cold cache',
      subjectLabel: 'warm cache',
      baseline: () => generate(new AudioCache({ directory: folders.make('cache-cold') }), cold),
      subject: () => generate(warmCache, warm),
      runs: 7,
      warmup: 1,
      note: () => `cold: ${describeCounts(cold)}; warm: ${describeCounts(warm)}`,
    });
  } finally {
    await server.close();
  }
}
