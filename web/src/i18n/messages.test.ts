import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ja } from './ja';
import { en } from './en';
import { LANGUAGE_KEY, lookup, storeLanguage, storedLanguage } from './language';

/** Every leaf of a message tree with its path: strings, and functions called with sample arguments. */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]): [string, string][] => {
    const path = `${prefix}${key}`;
    if (typeof value === 'string') return [[path, value]];
    if (typeof value === 'function') return [[path, String(value('x', 'y'))]];
    if (value !== null && typeof value === 'object') return leaves(value, `${path}.`);
    return [[path, '']];
  });
}

describe('the portal in two languages', () => {
  it('has every message in Japanese and in English, none empty', () => {
    const jaLeaves = leaves(ja);
    const enLeaves = leaves(en);
    assert.deepEqual(enLeaves.map(([p]) => p), jaLeaves.map(([p]) => p));
    for (const [path, text] of [...jaLeaves, ...enLeaves]) assert.notEqual(text.trim(), '', path);
  });

  it('writes the Japanese messages in Japanese, not copied from English', () => {
    const same = leaves(ja).filter(([path, text], i) => text === leaves(en)[i]?.[1] && !['productName'].includes(path));
    assert.deepEqual(same, []);
  });

  it('speaks Japanese by default, remembers a choice, and survives a storage that refuses', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    assert.equal(storedLanguage(storage), 'ja');
    storeLanguage(storage, 'en');
    assert.equal(store.get(LANGUAGE_KEY), 'en');
    assert.equal(storedLanguage(storage), 'en');
    store.set(LANGUAGE_KEY, 'fr');
    assert.equal(storedLanguage(storage), 'ja');
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    assert.equal(storedLanguage(refusing), 'ja');
    assert.doesNotThrow(() => storeLanguage(refusing, 'en'));
  });

  it('names a step the server sends by its message, or by itself when there is none', () => {
    assert.equal(lookup(ja.requests.stepNames, 'create-account'), 'アカウントの作成');
    assert.equal(lookup(en.requests.stepNames, 'install-baseline'), 'install-baseline');
  });
});
