import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RECENT, RecentSearches, recentKey, type RecentStorage } from './recent-searches.ts';

function memoryStorage(): RecentStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v); }, removeItem: (k) => { data.delete(k); } };
}

test('recent searches are newest first, deduplicated, capped, removable and kept per bundle', () => {
  const storage = memoryStorage();
  const a = new RecentSearches(recentKey('https://x.test/a/'), storage);
  const b = new RecentSearches(recentKey('https://x.test/b/'), storage);
  a.add({ query: ' install ', title: 'Install', url: 'i.html' });
  a.add({ query: 'offline', title: 'Offline', url: 'o.html' });
  a.add({ query: 'install', title: 'Install', url: 'i.html' });
  assert.deepEqual(a.list().map((r) => r.query), ['install', 'offline']);
  assert.deepEqual(b.list(), []);
  a.remove({ query: 'install', title: 'Install', url: 'i.html' });
  assert.deepEqual(a.list().map((r) => r.query), ['offline']);
  for (let i = 0; i < MAX_RECENT + 3; i++) a.add({ query: `q${i}`, title: 't', url: 'u' });
  assert.equal(a.list().length, MAX_RECENT);
  a.clear();
  assert.deepEqual(a.list(), []);
  assert.equal(storage.data.size, 0);
});

test('unreadable or failing storage reads as empty and never throws', () => {
  const storage = memoryStorage();
  storage.setItem(recentKey('u'), '{not json');
  assert.deepEqual(new RecentSearches(recentKey('u'), storage).list(), []);
  const failing: RecentStorage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => { throw new Error('denied'); } };
  const r = new RecentSearches('k', failing);
  assert.deepEqual(r.add({ query: 'x', title: 't', url: 'u' }).length, 1);
  assert.deepEqual(r.clear(), []);
});
