/** `GET /api/v1/classes/:id/summary` (JSON). */

export interface PersonSummary {
  identity: string;
  displayName: string;
  role: 'coach' | 'member';
  level: string | null;
  firstJoinedAt: string;
  lastLeftAt: string | null;
  /** Time present, visits added up (an open visit counts until `now`). */
  presentSeconds: number;
  visits: number;
  reps: Record<string, number>;
  totalReps: number;
  /** Of those, reps the member's camera counted (in their browser), per exercise id. */
  cameraReps: Record<string, number>;
  totalCameraReps: number;
}

export interface ClassSummary {
  classId: string;
  title: string;
  plan: { id: string; name: string }[];
  peakParticipants: number;
  people: PersonSummary[];
}

