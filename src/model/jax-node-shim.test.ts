import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const shim = new URL('./jax-node-shim.ts', import.meta.url).href;
const builder = new URL('./onnx-builder.ts', import.meta.url).href;

/** Runs `code` (an ES module) in a fresh Node process with tsx, as the model code runs in the CLI. */
function runChild(code: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8', timeout: 50_000, env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A matmul checked against plain JS, after onnxruntime-web has loaded (its Node glue assigns
// global.Worker), then more jax work after a second ORT session. The process must exit by itself.
const scenario = (threads: number) => `
import * as ort from 'onnxruntime-web';
import { initJax, jaxThreads, jaxWorkerCount } from ${JSON.stringify(shim)};
import { DataType, GraphBuilder } from ${JSON.stringify(builder)};
ort.env.wasm.numThreads = 1;
const jax = await initJax({ threads: ${threads} });
const { numpy: np } = jax;
const a = Float32Array.from({ length: 64 * 96 }, (_, i) => ((i * 7) % 13) - 6);
const b = Float32Array.from({ length: 96 * 80 }, (_, i) => ((i * 5) % 11) - 5);
const want = new Float32Array(64 * 80);
for (let i = 0; i < 64; i++) for (let k = 0; k < 96; k++) for (let j = 0; j < 80; j++) want[i * 80 + j] += a[i * 96 + k] * b[k * 80 + j];
const mm = async () => np.matmul(np.array(a, { shape: [64, 96] }), np.array(b, { shape: [96, 80] })).data();
const g = new GraphBuilder('add');
g.output(g.op('Add', [g.input('a', DataType.FLOAT, [2]), g.input('b', DataType.FLOAT, [2])], {}, 'y'), DataType.FLOAT, [2]);
const model = g.toModel();
await ort.InferenceSession.create(model);
const first = await mm();
const r2 = await np.ones([300, 7]).mul(2).sum().data(); // a kernel compiled after ORT loaded
await ort.InferenceSession.create(model);
const second = await mm();
const ok = first.every((v, i) => v === want[i]) && second.every((v, i) => v === want[i]) && r2[0] === 4200;
console.log(JSON.stringify({ ok, threads: jaxThreads(), workers: jaxWorkerCount() }));
`;

test('jax-js runs on a pool of 2 worker threads next to onnxruntime-web, and the process exits by itself', () => {
  const r = runChild(scenario(2));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out, { ok: true, threads: 2, workers: 2 });
});

test('jax-js runs single-threaded next to onnxruntime-web', () => {
  const r = runChild(scenario(1));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.deepEqual(out, { ok: true, threads: 1, workers: 0 });
});
