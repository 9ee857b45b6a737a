/**
 * Reads the `.cpuprofile` files `node --cpu-prof` wrote for the hosts (`npm run bench -- --profile`)
 * and sums self time by function and by area (a package in node_modules, or a folder of ours).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** @param {string} url */
function areaOf(url) {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return path.dirname(url.slice(dist + '/dist/'.length));
  return path.basename(url);
}

/**
 * @param {string} file
 * @returns {{ totalMs: number, byArea: [string, number][], byFunction: [string, number][] }}
 */
export function summarizeProfile(file) {
  /** @type {{ nodes: { id: number, hitCount?: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], startTime: number, endTime: number, samples: number[] }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0) || 1;
  const msPerHit = totalMs / hits;
  /** @type {Map<string, number>} */
  const areas = new Map();
  /** @type {Map<string, number>} */
  const fns = new Map();
  for (const n of profile.nodes) {
    const ms = (n.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = functionName === '(idle)' ? '(idle)' : functionName === '(garbage collector)' ? '(gc)' : areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const key = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const top = (/** @type {Map<string, number>} */ m, /** @type {number} */ k) =>
    /** @type {[string, number][]} */ ([...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => [name, Math.round(ms)]));
  return { totalMs: Math.round(totalMs), byArea: top(areas, 15), byFunction: top(fns, 25) };
}

/** Every `profile-<label>.cpuprofile.json` in `dir`. @param {string} dir */
export function summarizeProfiles(dir) {
  /** @type {Record<string, ReturnType<typeof summarizeProfile>>} */
  const out = {};
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter((x) => x.startsWith('profile-') && x.endsWith('.cpuprofile.json'))) {
    out[f.slice('profile-'.length, -'.cpuprofile.json'.length)] = summarizeProfile(path.join(dir, f));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of process.argv.slice(2)) console.log(JSON.stringify({ [f]: summarizeProfile(f) }, null, 2));
}
