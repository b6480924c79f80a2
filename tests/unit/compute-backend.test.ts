// Backend probe: real registration/init/check on Node's cpu and wasm backends, and fakes for the
// failure paths (wrong numbers, hanging init).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  backendOrder,
  matMulJs,
  probeBackends,
  relativeError,
  isSoftwareRenderer,
  seededValues,
  webgpuPrecheck,
  type ProbeTf,
} from '../../src/lib/compute/backend';

describe('check helpers', () => {
  it('matMulJs matches a hand-worked 2×3 · 3×2 product', () => {
    // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
    const c = matMulJs(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([7, 8, 9, 10, 11, 12]), 2, 3, 2);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('relativeError is max|diff| / max|ref| and treats NaN as failure', () => {
    expect(relativeError([1, 2, 5], [1, 2, 4])).toBeCloseTo(0.25, 12);
    expect(relativeError([NaN, 0], [1, 1])).toBe(Infinity);
    expect(relativeError([1, 2], [1, 2, 3])).toBe(Infinity);
  });

  it('seededValues is deterministic and in [-1, 1)', () => {
    const a = seededValues(1000, 7);
    expect(Array.from(a)).toEqual(Array.from(seededValues(1000, 7)));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(Array.from(a)).not.toEqual(Array.from(seededValues(1000, 8)));
  });

  it('backendOrder puts the preferred backend first and keeps the rest in order', () => {
    expect(backendOrder(['webgpu', 'webgl', 'wasm', 'cpu'], 'cpu')).toEqual(['cpu', 'webgpu', 'webgl', 'wasm']);
    expect(backendOrder(['webgpu', 'webgl', 'wasm', 'cpu'], null)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });
});

describe('probeBackends under Node', () => {
  it('skips WebGPU and WebGL with reasons and picks wasm', async () => {
    const r = await probeBackends(tf, ['webgpu', 'webgl', 'wasm', 'cpu'], { precheck: webgpuPrecheck });
    expect(r.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(r.skipped[0].reason).toBe('WebGPU: no adapter (navigator.gpu missing)');
    expect(r.skipped[1].reason).toMatch(/^WebGL: /);
    expect(r.checkError).toBeLessThan(1e-5); // float32 sums of 48 terms vs float64
    expect(r.preferredHonoured).toBe(true);
  });

  it('honours a forced cpu backend', async () => {
    const r = await probeBackends(tf, ['webgpu', 'webgl', 'wasm', 'cpu'], { preferred: 'cpu', precheck: webgpuPrecheck });
    expect(r.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(r.skipped).toEqual([]);
    expect(r.preferred).toBe('cpu');
    expect(r.preferredHonoured).toBe(true);
  });

  it('falls back, with the reason, when the forced backend fails', async () => {
    const r = await probeBackends(tf, ['webgpu', 'webgl', 'wasm', 'cpu'], { preferred: 'webgl', precheck: webgpuPrecheck });
    expect(r.backend).toBe('wasm');
    expect(r.preferredHonoured).toBe(false);
    expect(r.skipped.map((s) => s.backend)).toEqual(['webgl', 'webgpu']);
  });

  it('skips a backend whose matMul returns wrong numbers (mismatch 0.3 and 1)', async () => {
    // On wasm every product is scaled by 1.3: relative error exactly 0.3 (up to float32 rounding).
    const scaled: ProbeTf = {
      ...tf,
      matMul: ((a: tf.Tensor2D, b: tf.Tensor2D) =>
        tf.getBackend() === 'wasm' ? tf.tidy(() => tf.mul(tf.matMul(a, b), 1.3)) : tf.matMul(a, b)) as typeof tf.matMul,
    };
    const r = await probeBackends(scaled, ['wasm', 'cpu']);
    expect(r.backend).toBe('cpu');
    expect(r.skipped).toEqual([{ backend: 'wasm', reason: 'WASM: result mismatch 0.3' }]);

    // All zeros: error = max|want| / max|want| = 1 on every backend → nothing usable.
    const zeros: ProbeTf = { ...tf, matMul: ((a: tf.Tensor2D, b: tf.Tensor2D) => tf.zeros([a.shape[0], b.shape[1]])) as typeof tf.matMul };
    await expect(probeBackends(zeros, ['wasm', 'cpu'])).rejects.toThrow(
      'no usable tfjs backend: WASM: result mismatch 1; CPU: result mismatch 1',
    );
  });

  it('never hangs: an init that does not settle is skipped after the timeout', async () => {
    const hanging: ProbeTf = {
      ...tf,
      setBackend: ((name: string) => (name === 'wasm' ? new Promise<boolean>(() => {}) : tf.setBackend(name))) as typeof tf.setBackend,
    };
    const t0 = Date.now();
    const r = await probeBackends(hanging, ['wasm', 'cpu'], { timeoutMs: 100 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.backend).toBe('cpu');
    expect(r.skipped).toEqual([{ backend: 'wasm', reason: 'WASM: init timed out after 0.1 s' }]);
  });

  it('passes forced=true to the precheck only for the preferred backend', async () => {
    const calls: string[] = [];
    const r = await probeBackends(tf, ['wasm', 'cpu'], {
      preferred: 'cpu',
      precheck: async (name, forced) => {
        calls.push(`${name}:${forced}`);
        return forced ? null : 'software renderer (test), slower than WASM';
      },
    });
    expect(calls).toEqual(['cpu:true']);
    expect(r.backend).toBe('cpu');
    const auto = await probeBackends(tf, ['wasm', 'cpu'], { precheck: async (name) => (name === 'wasm' ? 'nope' : null) });
    expect(auto).toMatchObject({ backend: 'cpu', skipped: [{ backend: 'wasm', reason: 'WASM: nope' }] });
  });

  it('recognises software renderers by their strings', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)')).toBe(false);
  });

  it('reports an unregistered backend', async () => {
    const r = await probeBackends(tf, ['webgl', 'cpu']);
    expect(r.skipped).toEqual([{ backend: 'webgl', reason: 'WebGL: not registered in this environment' }]);
  });

  it('leaves no tensors behind', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    await probeBackends(tf, ['cpu']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
