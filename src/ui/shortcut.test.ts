import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOpenShortcut, shortcutHint, isApplePlatform } from './shortcut.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
const field = (tagName: string, type?: string) => ({ tagName, type, isContentEditable: false }) as unknown as Element;

test('Cmd/Ctrl+K opens anywhere, / only outside text fields', () => {
  assert.equal(isOpenShortcut(key('k', { ctrlKey: true }), field('INPUT', 'text')), true);
  assert.equal(isOpenShortcut(key('k', { metaKey: true }), null), true);
  assert.equal(isOpenShortcut(key('k'), null), false);
  assert.equal(isOpenShortcut(key('k', { ctrlKey: true, altKey: true }), null), false);
  assert.equal(isOpenShortcut(key('/'), field('BODY')), true);
  assert.equal(isOpenShortcut(key('/'), field('INPUT', 'checkbox')), true);
  assert.equal(isOpenShortcut(key('/'), field('INPUT', 'search')), false);
  assert.equal(isOpenShortcut(key('/'), field('TEXTAREA')), false);
});

test('the hint follows the platform', () => {
  assert.equal(isApplePlatform({ platform: 'MacIntel' }), true);
  assert.equal(isApplePlatform({ platform: 'Linux x86_64', userAgent: 'X11' }), false);
  assert.equal(shortcutHint(true), '⌘K');
  assert.equal(shortcutHint(false), 'Ctrl K');
});
