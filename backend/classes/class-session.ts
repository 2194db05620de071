import type { ParticipantInfo, Role } from '../../protocol/participants.js';

/** A participant in a live class, as the domain sees them (no sockets, no media). */
export interface SessionParticipant extends ParticipantInfo {
  /** The club's identity for this person (JWT `sub`): one live seat per identity. */
  identity: string;
  joinedAt: number;
}

export interface JoinOutcome {
  participant: SessionParticipant;
  /** The same person's earlier seat (another tab, a dropped connection) that this join replaces. */
  replaced: SessionParticipant | undefined;
}

/**
 * The live state of one class: who is in it and who may see whom. Pure: the signalling layer
 * applies its decisions to sockets and mediasoup.
 */
export class ClassSession {
  private readonly byId = new Map<string, SessionParticipant>();

  constructor(
    readonly classId: string,
    readonly title: string,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SessionParticipant | undefined {
    return this.byId.get(id);
  }

  join(p: { id: string; identity: string; role: Role; displayName: string; moderator?: boolean }, now = Date.now()): JoinOutcome {
    let replaced: SessionParticipant | undefined;
    for (const existing of this.byId.values()) {
      if (existing.identity === p.identity) {
        replaced = existing;
        this.byId.delete(existing.id);
        break;
      }
    }
    const participant: SessionParticipant = { ...p, displayName: p.displayName.trim() || 'Guest', joinedAt: now };
    this.byId.set(participant.id, participant);
    return { participant, replaced };
  }

  leave(id: string): SessionParticipant | undefined {
    const p = this.byId.get(id);
    if (p) this.byId.delete(id);
    return p;
  }

  /** Everyone in the class but `viewerId`, coaches first, then in joining order. */
  othersFor(viewerId: string): ParticipantInfo[] {
    return [...this.byId.values()]
      .filter((p) => p.id !== viewerId)
      .sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.joinedAt - b.joinedAt)
      .map(toInfo);
  }

  all(): SessionParticipant[] {
    return [...this.byId.values()];
  }
}

const roleRank = (r: Role) => (r === 'coach' ? 0 : 1);

export const toInfo = (p: SessionParticipant): ParticipantInfo => ({ id: p.id, role: p.role, displayName: p.displayName, ...(p.moderator ? { moderator: true } : {}) });
