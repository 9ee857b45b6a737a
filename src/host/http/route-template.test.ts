import { describe, expect, it } from 'vitest';
import { compareRoutes, compileRoute, matchRoute } from './route-template.js';

describe('route templates', () => {
  it('matches literal and parameter segments and decodes values', () => {
    const r = compileRoute('users/{id}/posts/{postId}');
    expect(matchRoute(r, '/users/a%20b/posts/7')).toEqual({ id: 'a b', postId: '7' });
    expect(matchRoute(r, '/users/1/posts')).toBeUndefined();
  });

  it('matches literals case-insensitively and tolerates a trailing slash', () => {
    expect(matchRoute(compileRoute('Hello/World'), '/hello/world/')).toEqual({});
  });

  it('treats optional parameters and defaults as absent or filled', () => {
    const r = compileRoute('items/{id?}');
    expect(matchRoute(r, '/items')).toEqual({});
    expect(matchRoute(r, '/items/3')).toEqual({ id: '3' });
    expect(matchRoute(compileRoute('page/{n=1}'), '/page')).toEqual({ n: '1' });
  });

  it('captures the rest of the path in a catch-all parameter', () => {
    const r = compileRoute('files/{*path}');
    expect(matchRoute(r, '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(matchRoute(r, '/files')).toEqual({});
    expect(matchRoute(compileRoute('x/{**rest}'), '/x/1/2')).toEqual({ rest: '1/2' });
  });

  it('enforces int and alpha constraints and reports unknown ones', () => {
    const r = compileRoute('orders/{id:int}');
    expect(matchRoute(r, '/orders/42')).toEqual({ id: '42' });
    expect(matchRoute(r, '/orders/abc')).toBeUndefined();
    const odd = compileRoute('v/{x:weird}');
    expect(odd.unknownConstraints).toEqual(['weird']);
    expect(matchRoute(odd, '/v/anything')).toEqual({ x: 'anything' });
  });

  it('matches parameters mixed with literals inside one segment', () => {
    expect(matchRoute(compileRoute('img/{name}.{ext}'), '/img/cat.png')).toEqual({ name: 'cat', ext: 'png' });
  });

  it('orders literal routes before parameter and catch-all routes', () => {
    const routes = ['a/{*rest}', 'a/{id}', 'a/new'].map(compileRoute).sort(compareRoutes);
    expect(routes.map((r) => r.template)).toEqual(['a/new', 'a/{id}', 'a/{*rest}']);
  });
});
