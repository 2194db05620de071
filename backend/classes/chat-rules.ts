import { CHAT_MAX_LENGTH } from '../../protocol/social-constants.js';
import { stripDisguising } from '../input-guards.js';

/**
 * Masks the club's blocked words in a chat message. Whole words only, case- and accent-blind
 * ("Dämn" matches "damn"), so "class" is not hit by "ass". The message keeps its length and
 * shape: each blocked word becomes bullets.
 */
export function maskBlockedWords(text: string, blocked: readonly string[]): string {
  if (!blocked.length) return text;
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const words = new Set(blocked.map(fold).filter(Boolean));
  return text.replace(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu, (word) => (words.has(fold(word)) ? '•'.repeat([...word].length) : word));
}

/** Collapses what would make a message look like something else: control characters, runs of blank lines. */
export function cleanChatText(text: string): string {
  return stripDisguising(text)
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, CHAT_MAX_LENGTH);
}

/** Normalises a club's word list: trimmed, lower-case, unique, bounded. */
export function normaliseWordList(words: readonly string[]): string[] {
  return [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0 && w.length <= 64))].slice(0, 500);
}
