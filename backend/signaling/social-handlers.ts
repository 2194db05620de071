import { ErrorCode } from '../../protocol/error-codes.js';
import { CHAT_PAGE_SIZE } from '../../protocol/social.js';
import { AppError } from '../errors.js';
import type { Handler } from './handlers.js';
import { rerouted } from './class-handlers.js';
import { offerFreedSeats, stopWaiting } from './waitlist.js';
import { isViewerChatId } from './viewer-chat.js';

type SocialMessage =
  | 'chat:send'
  | 'chat:history'
  | 'chat:delete'
  | 'chat:mute'
  | 'chat:report'
  | 'hand:raise'
  | 'hand:lower'
  | 'hand:call'
  | 'reaction:send'
  | 'waitlist:join'
  | 'waitlist:leave'
  | 'board:get'
  | 'board:draw'
  | 'board:undo'
  | 'board:clear'
  | 'files:list';

/** Chat, hands, reactions, the line for a full class, the board and shared files. */
export const socialHandlers: { [N in SocialMessage]: Handler<N> } = {
  async 'chat:send'(conn, { text, clientId }) {
    const live = conn.assertJoined();
    const self = live.session.get(conn.participantId)!;
    const sender = { key: self.id, displayName: self.displayName, role: self.role, dbId: () => conn.storedParticipantId() };
    return live.social.post(sender, text, clientId, () => live.rules.assertCanChat(conn.participantId));
  },

  async 'chat:history'(conn, { beforeSeq }) {
    const live = conn.assertJoined();
    return conn.deps.repos.chat.page(live.record.id, CHAT_PAGE_SIZE, beforeSeq);
  },

  async 'chat:delete'(conn, { seq }) {
    const live = conn.assertJoined();
    if (!live.rules.canModerate(conn.participantId)) throw new AppError(ErrorCode.Forbidden, 'Only the coach or a moderator can delete messages', 403);
    const gone = await conn.deps.repos.chat.delete(live.record.id, seq, conn.storedParticipantId());
    if (!gone) throw new AppError(ErrorCode.NotFound, `No message ${seq}`, 404);
    conn.broadcast('chat:deleted', { seq });
    return {};
  },

  async 'chat:mute'(conn, { participantId, muted }) {
    const live = conn.assertJoined();
    if (isViewerChatId(participantId)) {
      // A viewer of the class's broadcast: known by the messages they wrote.
      if (!live.rules.canModerate(conn.participantId)) throw new AppError(ErrorCode.Forbidden, 'Only the coach or a moderator can mute chat', 403);
      const identity = await conn.deps.repos.chat.senderIdentity(live.record.id, participantId);
      if (!identity) throw new AppError(ErrorCode.NotFound, 'No such viewer in this chat', 404);
      live.rules.setViewerChatMuted(conn.participantId, participantId, muted);
      await conn.deps.repos.chat.setMuted(live.record.id, identity, muted);
      conn.deps.viewerChat?.muted(participantId, muted);
      conn.broadcastState();
      return {};
    }
    live.rules.setChatMuted(conn.participantId, participantId, muted);
    // Kept in the store: a muted member stays muted when they come back.
    await conn.deps.repos.chat.setMuted(live.record.id, live.session.get(participantId)!.identity, muted);
    conn.broadcastState();
    return {};
  },

  async 'chat:report'(conn, { seq, reason }) {
    const live = conn.assertJoined();
    const message = await conn.deps.repos.chat.get(live.record.id, seq);
    if (!message) throw new AppError(ErrorCode.NotFound, `No message ${seq}`, 404);
    await conn.deps.repos.chat.report({ classId: live.record.id, seq, reporterDbId: conn.storedParticipantId(), reason: reason ?? '' });
    conn.log.info({ seq }, 'chat message reported');
    return {};
  },

  async 'hand:raise'(conn) {
    conn.assertJoined().rules.raiseHand(conn.participantId);
    conn.broadcastState();
    return {};
  },

  async 'hand:lower'(conn, { participantId }) {
    conn.assertJoined().rules.lowerHand(conn.participantId, participantId ?? conn.participantId);
    conn.broadcastState();
    return {};
  },

  async 'hand:call'(conn, { participantId }) {
    // Calling on someone spotlights them: the media follows, as for any spotlight.
    return rerouted(conn, (rules) => rules.callOn(conn.participantId, participantId));
  },

  async 'reaction:send'(conn, { emoji }) {
    conn.classContext().social.react(conn.participantId, emoji);
    return {};
  },

  async 'waitlist:join'(conn) {
    if (conn.live) throw new AppError(ErrorCode.AlreadyJoined, 'Already in the class');
    const live = await conn.deps.liveClasses.open(conn.classRecord);
    if (conn.identity.role !== 'member') throw new AppError(ErrorCode.BadRequest, 'Only members wait for a seat');
    live.rules.seats.enqueue(conn.identity.identity);
    live.waiters.set(conn.identity.identity, conn);
    conn.waitingIn = live;
    const broadcastState = () => conn.deps.liveClasses.sendState(live);
    offerFreedSeats(live, broadcastState);
    broadcastState();
    return { position: live.rules.seats.positionOf(conn.identity.identity) ?? 0, seats: live.rules.view().seats };
  },

  async 'waitlist:leave'(conn) {
    const live = conn.waitingIn;
    conn.waitingIn = undefined;
    if (live) stopWaiting(live, conn.identity.identity, () => conn.deps.liveClasses.sendState(live));
    return {};
  },

  async 'board:get'(conn) {
    return { board: conn.classContext().social.board.state() };
  },

  async 'board:draw'(conn, { item }) {
    const live = conn.assertJoined();
    live.rules.requireCoach(conn.participantId, 'draw on the board');
    const version = live.social.board.add(item);
    live.social.boardChanged();
    conn.socket.to(live.channel).emit('board:item', { item, version });
    return { version };
  },

  async 'board:undo'(conn) {
    const live = conn.assertJoined();
    live.rules.requireCoach(conn.participantId, 'change the board');
    const version = live.social.board.undo();
    live.social.boardChanged();
    conn.socket.to(live.channel).emit('board:state', live.social.board.state());
    return { version };
  },

  async 'board:clear'(conn) {
    const live = conn.assertJoined();
    live.rules.requireCoach(conn.participantId, 'clear the board');
    const version = live.social.board.clear();
    live.social.boardChanged();
    conn.socket.to(live.channel).emit('board:state', live.social.board.state());
    return { version };
  },

  async 'files:list'(conn) {
    const live = conn.classContext();
    const files = await conn.deps.repos.files.listForClass(live.record.id);
    return { files: files.map((f) => conn.deps.files.link(f)) };
  },
};
