import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandBraces, matchEntryPoints } from './entry-point-pattern.js';

describe('expandBraces', () => {
  it('expands alternatives in the order written, nested ones too', () => {
    expect(expandBraces('src/{index.js,setup.js,functions/*.js}')).toEqual(['src/index.js', 'src/setup.js', 'src/functions/*.js']);
    expect(expandBraces('a/{b,c/{d,e}}.js')).toEqual(['a/b.js', 'a/c/d.js', 'a/c/e.js']);
    expect(expandBraces('{x,y}/{1,2}')).toEqual(['x/1', 'x/2', 'y/1', 'y/2']);
  });

  it('leaves patterns without a comma group as they are', () => {
    expect(expandBraces('dist/src/functions/*.js')).toEqual(['dist/src/functions/*.js']);
    expect(expandBraces('weird/{name}.js')).toEqual(['weird/{name}.js']);
  });
});

describe('matchEntryPoints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'aos-entry-'));
    await mkdir(path.join(dir, 'src', 'functions'), { recursive: true });
    for (const f of ['src/index.js', 'src/functions/b.js', 'src/functions/a.js']) await writeFile(path.join(dir, f), '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads brace alternatives in order, each alternative sorted, each file once', async () => {
    const files = await matchEntryPoints('src/{index.js,functions/*.js,functions/a.js}', dir);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['src/index.js', 'src/functions/a.js', 'src/functions/b.js']);
  });

  it('matches nothing for a pattern without files', async () => {
    expect(await matchEntryPoints('dist/**/*.js', dir)).toEqual([]);
  });
});
