/**
 * Starts onnxruntime-web before the bundle has arrived: creating a session from a tiny model makes ORT fetch,
 * compile and initialize its wasm runtime (the slow part of starting), so that work overlaps the bundle's
 * download or IndexedDB read.
 */
import type { OrtModule } from './engine.ts';

/** A 65-byte ONNX model: Identity over float[1], IR 8, opset 17. */
const TINY_MODEL_BASE64 = 'CAg6NwoQCgF4EgF5IghJZGVudGl0eRIBd1oPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEBE=';

/** Initializes ORT's wasm runtime by creating (and releasing) a session of a tiny model. */
export async function warmUpRuntime(ort: OrtModule): Promise<void> {
  const bytes = Uint8Array.from(atob(TINY_MODEL_BASE64), (c) => c.charCodeAt(0));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], logSeverityLevel: 3 });
  await session.release();
}
