// The extension's third bundle (dist/captionWriter.js): the caption writer, with the MP3 decoder (mpg123 compiled to
// WebAssembly) and the SRT/WebVTT library. The engine loads it only when a generation asks for caption files, so
// neither weighs on the engine's loading. The CLI calls the same function from its own bundle.
export { makeCaptionFiles } from './core';
