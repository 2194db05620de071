import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanChatText, maskBlockedWords, normaliseWordList } from '../../backend/classes/chat-rules.js';
import { ClassRules } from '../../backend/classes/class-rules.js';
import { ClassSession } from '../../backend/classes/class-session.js';
import { ReactionBatcher } from '../../backend/classes/reactions.js';
import { Seats } from '../../backend/classes/seats.js';
import { Whiteboard } from '../../backend/classes/whiteboard.js';
import { AppError } from '../../backend/errors.js';

/* The pure rules behind chat, hands, reactions, seats and the board. */

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return 'no error';
};

test('blocked words are masked whole-word, case- and accent-blind; other words are untouched', () => {
  const words = normaliseWordList([' Darn ', 'heck', 'HECK', '']);
  assert.deepEqual(words, ['darn', 'heck']);
  assert.equal(maskBlockedWords('Darn it, what the HÉCK', words), '•••• it, what the ••••');
  assert.equal(maskBlockedWords('darning a sock is checking', words), 'darning a sock is checking');
  assert.equal(maskBlockedWords('no filter', []), 'no filter');
});

test('chat text loses control characters and bidi overrides, keeps newlines, is bounded', () => {
  assert.equal(cleanChatText('  hi\u0000 there\u202E!\n\n\n\nbye '), 'hi there!\n\nbye');
  assert.equal(cleanChatText('x'.repeat(900)).length, 500);
});

test('seats: the limit holds, the line is ordered, a freed seat is held for the first in line until it lapses', () => {
  const seats = new Seats(2, 1000);
  const seated = new Set<string>();
  const take = (id: string, now = 0) => {
    seats.claim(id, seated, now);
    seated.add(id);
  };
  take('a');
  take('b');
  assert.equal(code(() => seats.claim('c', seated, 0)), 'class_full');
  // Someone already seated (another tab) keeps their seat.
  assert.doesNotThrow(() => seats.claim('a', seated, 0));
  assert.equal(seats.enqueue('c'), 1);
  assert.equal(seats.enqueue('d'), 2);
  assert.equal(seats.enqueue('c'), 1, 'queueing twice keeps the place');
  assert.deepEqual(seats.promote(seated.size, 0), [], 'no free seat yet');
  seated.delete('a');
  assert.deepEqual(seats.promote(seated.size, 10), ['c']);
  assert.equal(seats.positionOf('c'), 0);
  assert.equal(seats.positionOf('d'), 1);
  // The held seat is not for a newcomer.
  assert.equal(code(() => seats.claim('e', seated, 20)), 'class_full');
  // The hold lapses; the seat goes to the next in line.
  assert.deepEqual(seats.expire(2000), ['c']);
  assert.deepEqual(seats.promote(seated.size, 2000), ['d']);
  take('d', 2100);
  assert.equal(seats.positionOf('d'), undefined);
  assert.equal(seats.waiting, 0);
});

test('hands: members raise in order, the coach lowers or calls on (which spotlights), leaving lowers', () => {
  const session = new ClassSession('c', 'Class');
  const rules = new ClassRules(session, [], 10);
  session.join({ id: 'coach', identity: 'sam', role: 'coach', displayName: 'Sam' });
  for (const id of ['m1', 'm2', 'm3']) {
    session.join({ id, identity: id, role: 'member', displayName: id });
    rules.seated(id, 'beginner');
  }
  assert.equal(code(() => rules.raiseHand('coach')), 'forbidden');
  rules.raiseHand('m2');
  rules.raiseHand('m1');
  rules.raiseHand('m2');
  rules.raiseHand('m3');
  assert.deepEqual(rules.view().hands, ['m2', 'm1', 'm3']);
  assert.equal(code(() => rules.lowerHand('m1', 'm2')), 'forbidden');
  rules.lowerHand('m1', 'm1');
  rules.callOn('coach', 'm2');
  assert.deepEqual(rules.view().hands, ['m3']);
  assert.equal(rules.view().spotlightId, 'm2');
  assert.equal(code(() => rules.callOn('coach', 'm1')), 'bad_request');
  session.leave('m3');
  rules.left('m3');
  assert.deepEqual(rules.view().hands, []);
  assert.deepEqual(rules.view().seats, { capacity: 10, taken: 2, waiting: 0 });
});

test('chat moderation: the coach and moderators mute members; a muted member cannot write; coaches cannot be muted', () => {
  const session = new ClassSession('c', 'Class');
  const rules = new ClassRules(session);
  session.join({ id: 'coach', identity: 'sam', role: 'coach', displayName: 'Sam' });
  session.join({ id: 'mod', identity: 'mo', role: 'member', displayName: 'Mo', moderator: true });
  session.join({ id: 'm1', identity: 'ana', role: 'member', displayName: 'Ana' });
  assert.equal(code(() => rules.setChatMuted('m1', 'mod', true)), 'forbidden');
  assert.equal(code(() => rules.setChatMuted('mod', 'coach', true)), 'forbidden');
  rules.setChatMuted('mod', 'm1', true);
  assert.equal(code(() => rules.assertCanChat('m1')), 'chat_muted');
  assert.deepEqual(rules.view().chatMuted, ['m1']);
  rules.setChatMuted('coach', 'm1', false);
  assert.doesNotThrow(() => rules.assertCanChat('m1'));
});

test('reactions are summed between flushes and throttled per member', () => {
  const r = new ReactionBatcher(3, 1);
  r.add('a', '🔥', 0);
  r.add('a', '🔥', 0);
  r.add('b', '👏', 0);
  r.add('a', '💪', 0);
  assert.equal(code(() => r.add('a', '🔥', 10)), 'rate_limited');
  assert.deepEqual(r.flush(), { '🔥': 2, '👏': 1, '💪': 1 });
  assert.equal(r.flush(), undefined);
  // A second later one more is allowed.
  assert.doesNotThrow(() => r.add('a', '🔥', 1100));
});

test('the board adds, replaces a retried item, undoes, clears, and bumps its version', () => {
  const b = new Whiteboard();
  const stroke = { kind: 'stroke' as const, id: 's1', color: '#ff0000', width: 4, points: [[0.1, 0.1], [0.2, 0.3]] as [number, number][] };
  assert.equal(b.add(stroke), 1);
  assert.equal(b.add({ ...stroke, color: '#00ff00' }), 2);
  assert.equal(b.state().items.length, 1);
  b.add({ kind: 'text', id: 't1', color: '#000000', size: 40, x: 0.5, y: 0.5, text: '3 × 10 squats' });
  b.undo();
  assert.deepEqual(b.state().items.map((i) => i.id), ['s1']);
  b.clear();
  assert.deepEqual(b.state(), { items: [], version: 5 });
  assert.equal(code(() => b.undo()), 'bad_request');
  assert.deepEqual(new Whiteboard({ items: [stroke], version: 9 }).state().version, 9);
});
