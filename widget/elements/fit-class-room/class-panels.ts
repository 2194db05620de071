import { html, nothing, type TemplateResult } from 'lit';
import { LEVELS, MOVEMENTS, type Movement } from '../../../protocol/class-constants.js';
import type { Exercise, Level, Plan, Target } from '../../../protocol/class-state.js';
import type { TimerReading } from '../../../protocol/timer.js';
import type { ClassModel } from '../../room/class-model.js';
import type { RemoteParticipant } from '../../room/room-model.js';
import type { ClassSummary } from '../../../protocol/summary.js';
import { englishTexts, type Texts } from '../../i18n/locale.js';

/** The element's texts function (its language); English where a template is used on its own. */
type T = Texts['t'];
const EN: T = englishTexts.t;

/*
 * Templates for the fitness parts of <fit-class-room>: pure functions of the class model, with
 * intents wired to its methods. Kept apart from the element so each stays readable.
 */

export const levelLabel = (l: Level, t: T = EN) => t(`level.${l}`);
export const targetLabel = (target: Target, t: T = EN) => ('reps' in target ? t('target.reps', { n: target.reps }) : t('target.seconds', { n: target.seconds }));

/** Runs an intent; a refusal is shown through the room's error path by the caller. */
export type Run = (intent: () => Promise<unknown>) => void;

export function timerView(reading: TimerReading | undefined, rounds: number | undefined, t: T = EN): TemplateResult | typeof nothing {
  if (!reading) return nothing;
  const secs = Math.ceil(reading.remainingMs / 1000);
  const clock = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
  const label = t(reading.phase === 'done' ? 'timer.done' : reading.phase === 'work' ? 'timer.work' : 'timer.rest');
  return html`<div part="timer" class="timer ${reading.phase}" data-testid="timer" data-phase=${reading.phase} data-remaining-ms=${Math.round(reading.remainingMs)} role="timer" aria-live="off">
    <span class="phase">${label}${reading.paused ? t('timer.paused') : ''}</span>
    <span class="clock">${reading.phase === 'done' ? '0:00' : clock}</span>
    <span class="round">${t('timer.round', { round: reading.round, rounds: rounds ?? 1 })}</span>
  </div>`;
}

export function exerciseCard(fitness: ClassModel, selfId: string | undefined, t: T = EN): TemplateResult {
  const card = fitness.cardFor(selfId);
  const level = fitness.levelOf(selfId);
  return html`<div part="exercise-card" class="card" data-testid="exercise-card" data-exercise-id=${card?.exercise.id ?? ''}>
    ${level ? html`<span class="badge" data-testid="my-level">${levelLabel(level, t)}</span>` : nothing}
    ${card
      ? html`<strong class="exercise">${card.exercise.name}</strong><span class="target">${targetLabel(card.target, t)}</span>`
      : html`<span class="exercise muted">${t('card.warmup')}</span>`}
  </div>`;
}

export function leaderboard(fitness: ClassModel, people: readonly { id: string; displayName: string }[], t: T = EN): TemplateResult {
  const rows = people
    .filter((p) => fitness.state?.participants[p.id])
    .map((p) => ({ ...p, reps: fitness.totalReps(p.id) }))
    .sort((a, b) => b.reps - a.reps)
    .slice(0, 5);
  return html`<ol part="leaderboard" class="leaderboard" data-testid="leaderboard" aria-label=${t('leaderboard')}>
    ${rows.map((r) => html`<li data-participant-id=${r.id}><span>${r.displayName}</span><span class="num">${r.reps}</span></li>`)}
  </ol>`;
}

export interface CoachPanelState {
  /** The plan being edited (a copy), or undefined when the editor is closed. */
  draft: Plan | undefined;
  lockMics: boolean;
  exerciseIndex: number;
  exerciseLevel: Level | 'all';
  work: number;
  rest: number;
  rounds: number;
  confirmEnd: boolean;
  groupByLevel: boolean;
  /** On a narrow screen the timer, breakouts and class tools fold behind "More controls". */
  moreOpen?: boolean;
}

export function coachPanel(fitness: ClassModel, ui: CoachPanelState, set: (patch: Partial<CoachPanelState>) => void, run: Run, t: T = EN): TemplateResult {
  const st = fitness.state;
  const mode = st?.mode ?? 'teach';
  const timer = fitness.timerReading();
  const num = (e: Event) => Number((e.target as HTMLInputElement).value);
  return html`<div part="coach-controls" class="coach-controls" data-testid="coach-controls" data-more-open=${!!ui.moreOpen}>
    <div class="group" role="group" aria-label=${t('coach.mode')}>
      <button class="chip" data-testid="mode-teach" aria-pressed=${mode === 'teach'} @click=${() => run(() => fitness.setMode('teach'))}>${t('coach.teach')}</button>
      <button class="chip" data-testid="mode-workout" aria-pressed=${mode === 'workout'} @click=${() => run(() => fitness.setMode('workout'))}>${t('coach.workout')}</button>
    </div>
    <div class="group" role="group" aria-label=${t('coach.exercise')}>
      <select data-testid="exercise-select" aria-label=${t('coach.exercise')} @change=${(e: Event) => set({ exerciseIndex: num(e) })}>
        ${(st?.plan ?? []).map((ex, i) => html`<option value=${i} ?selected=${i === ui.exerciseIndex}>${i + 1}. ${ex.name}</option>`)}
      </select>
      <select data-testid="exercise-level" aria-label=${t('coach.forLevel')} @change=${(e: Event) => set({ exerciseLevel: (e.target as HTMLSelectElement).value as Level | 'all' })}>
        <option value="all" ?selected=${ui.exerciseLevel === 'all'}>${t('coach.allLevels')}</option>
        ${LEVELS.map((l) => html`<option value=${l} ?selected=${ui.exerciseLevel === l}>${levelLabel(l, t)}</option>`)}
      </select>
      <button class="chip" data-testid="show-exercise" ?disabled=${!st?.plan.length}
        @click=${() => run(() => fitness.showExercise(ui.exerciseIndex, ui.exerciseLevel === 'all' ? null : ui.exerciseLevel))}>${t('coach.show')}</button>
      <button class="chip" data-testid="next-exercise" ?disabled=${!st?.plan.length} @click=${() => run(() => fitness.advance())}>${t('coach.next')}</button>
      ${autoCountSelect(fitness, st?.plan[ui.exerciseIndex]?.id, run, t)}
      <button class="chip more-toggle" data-testid="coach-more" aria-expanded=${!!ui.moreOpen} @click=${() => set({ moreOpen: !ui.moreOpen })}>${t(ui.moreOpen ? 'coach.lessControls' : 'coach.moreControls')}</button>
    </div>
    <div class="group secondary" role="group" aria-label=${t('coach.timer')}>
      ${timer && timer.phase !== 'done'
        ? html`${timer.paused
              ? html`<button class="chip" data-testid="timer-resume" @click=${() => run(() => fitness.controlTimer('resume'))}>${t('coach.resume')}</button>`
              : html`<button class="chip" data-testid="timer-pause" @click=${() => run(() => fitness.controlTimer('pause'))}>${t('coach.pause')}</button>`}
            <button class="chip" data-testid="timer-skip" @click=${() => run(() => fitness.controlTimer('skip'))}>${t('coach.skip')}</button>
            <button class="chip" data-testid="timer-stop" @click=${() => run(() => fitness.controlTimer('stop'))}>${t('coach.stop')}</button>`
        : html`<label>${t('timer.work')} <input type="number" min="1" max="3600" .value=${String(ui.work)} @change=${(e: Event) => set({ work: num(e) })} /></label>
            <label>${t('timer.rest')} <input type="number" min="0" max="3600" .value=${String(ui.rest)} @change=${(e: Event) => set({ rest: num(e) })} /></label>
            <label>× <input type="number" min="1" max="100" .value=${String(ui.rounds)} @change=${(e: Event) => set({ rounds: num(e) })} /></label>
            <button class="chip" data-testid="timer-start" @click=${() => run(() => fitness.startTimer({ workSeconds: ui.work, restSeconds: ui.rest, rounds: ui.rounds }))}>${t('coach.startTimer')}</button>`}
    </div>
    <div class="group secondary" role="group" aria-label=${t('coach.breakouts')}>
      ${st?.breakouts
        ? html`${LEVELS.map(
              (l) => html`<button class="chip" data-testid=${`visit-${l}`} aria-pressed=${st.breakouts?.coachRoom === l} @click=${() => run(() => fitness.visitBreakout(l))}>
                ${levelLabel(l, t)} (${Object.values(st.participants).filter((p) => p.level === l).length})
              </button>`,
            )}
            <button class="chip" data-testid="breakouts-end" @click=${() => run(() => fitness.endBreakouts())}>${t('coach.bringBack')}</button>`
        : html`<button class="chip" data-testid="breakouts-start" @click=${() => run(() => fitness.startBreakouts())}>${t('coach.startBreakouts')}</button>`}
    </div>
    <div class="group secondary" role="group" aria-label=${t('coach.class')}>
      <label class="check"><input type="checkbox" data-testid="group-by-level" .checked=${ui.groupByLevel} @change=${(e: Event) => set({ groupByLevel: (e.target as HTMLInputElement).checked })} /> ${t('coach.groupByLevel')}</label>
      <label class="check"><input type="checkbox" data-testid="lock-mics" .checked=${ui.lockMics} @change=${(e: Event) => set({ lockMics: (e.target as HTMLInputElement).checked })} /> ${t('coach.lockMics')}</label>
      <button class="chip" data-testid="mute-all" @click=${() => run(() => fitness.muteAll(ui.lockMics))}>${t('coach.muteAll')}</button>
      <button class="chip" data-testid="edit-plan" aria-expanded=${!!ui.draft} @click=${() => set({ draft: ui.draft ? undefined : structuredClone(st?.plan ?? []) })}>${t('coach.editPlan')}</button>
      ${st?.spotlightId ? html`<button class="chip" data-testid="spotlight-off" @click=${() => run(() => fitness.spotlight(null))}>${t('coach.endSpotlight')}</button>` : nothing}
      ${ui.confirmEnd
        ? html`<button class="chip danger" data-testid="confirm-end" @click=${() => run(() => fitness.end())}>${t('coach.reallyEnd')}</button>
            <button class="chip" @click=${() => set({ confirmEnd: false })}>${t('coach.keepGoing')}</button>`
        : html`<button class="chip danger" data-testid="end-class" @click=${() => set({ confirmEnd: true })}>${t('coach.endClass')}</button>`}
    </div>
  </div>`;
}

/** Camera counting for the exercise picked in the coach's controls: members' browsers count it. */
function autoCountSelect(fitness: ClassModel, exerciseId: string | undefined, run: Run, t: T): TemplateResult | typeof nothing {
  if (!exerciseId) return nothing;
  const current = fitness.state?.autoCount?.[exerciseId] ?? '';
  return html`<select data-testid="auto-count" aria-label=${t('coach.autoCount')} title=${t('coach.autoCount')}
    @change=${(e: Event) => run(() => fitness.setAutoCount(exerciseId, ((e.target as HTMLSelectElement).value || null) as Movement | null))}>
    <option value="" ?selected=${!current}>📷 ${t('coach.autoCount.off')}</option>
    ${MOVEMENTS.map((m) => html`<option value=${m} ?selected=${current === m}>📷 ${t(`movement.${m}`)}</option>`)}
  </select>`;
}

/** The coach's plan editor: exercises with a target per level, in order. */
export function planEditor(fitness: ClassModel, draft: Plan, set: (patch: Partial<CoachPanelState>) => void, run: Run, t: T = EN): TemplateResult {
  const update = (i: number, fn: (e: Exercise) => Exercise) => set({ draft: draft.map((e, j) => (j === i ? fn(structuredClone(e)) : e)) });
  const targetInput = (i: number, ex: Exercise, level: Level) => {
    const target = ex.targets[level];
    const unit = 'reps' in target ? 'reps' : 'seconds';
    const value = 'reps' in target ? target.reps : target.seconds;
    const where = { name: ex.name, level: levelLabel(level, t) };
    return html`<span class="target-edit">
      <input type="number" min="1" max="3600" aria-label=${t('plan.target', where)} .value=${String(value)}
        @change=${(e: Event) => update(i, (x) => ((x.targets[level] = unit === 'reps' ? { reps: Number((e.target as HTMLInputElement).value) } : { seconds: Number((e.target as HTMLInputElement).value) }), x))} />
      <select aria-label=${t('plan.unit', where)} @change=${(e: Event) => update(i, (x) => ((x.targets[level] = (e.target as HTMLSelectElement).value === 'reps' ? { reps: value } : { seconds: value }), x))}>
        <option value="reps" ?selected=${unit === 'reps'}>${t('reps.unit')}</option><option value="seconds" ?selected=${unit === 'seconds'}>s</option>
      </select>
    </span>`;
  };
  return html`<div part="plan-editor" class="plan-editor" data-testid="plan-editor">
    <table>
      <thead><tr><th scope="col">${t('coach.exercise')}</th>${LEVELS.map((l) => html`<th scope="col">${levelLabel(l, t)}</th>`)}<th></th></tr></thead>
      <tbody>
        ${draft.map(
          (ex, i) => html`<tr>
            <td><input aria-label=${t('plan.name')} maxlength="80" .value=${ex.name} @change=${(e: Event) => update(i, (x) => ({ ...x, name: (e.target as HTMLInputElement).value }))} /></td>
            ${LEVELS.map((l) => html`<td>${targetInput(i, ex, l)}</td>`)}
            <td><button class="mini danger" aria-label=${t('plan.remove', { name: ex.name })} @click=${() => set({ draft: draft.filter((_, j) => j !== i) })}>✕</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <button class="chip" data-testid="plan-add" @click=${() => set({ draft: [...draft, { id: `ex-${Date.now().toString(36)}-${draft.length}`, name: t('plan.newExercise'), targets: { beginner: { reps: 10 }, intermediate: { reps: 15 }, advanced: { reps: 20 } } }] })}>${t('plan.add')}</button>
    <button class="chip" data-testid="plan-save" @click=${() => run(async () => (await fitness.setPlan(draft.map((e) => ({ ...e, name: e.name.trim() || t('plan.unnamed') }))), set({ draft: undefined })))}>${t('plan.save')}</button>
  </div>`;
}

/** The coach's controls on one member's tile: level, reps, mute, spotlight, remove. */
export function coachTileControls(fitness: ClassModel, p: RemoteParticipant, run: Run, lock = false, t: T = EN): TemplateResult | typeof nothing {
  const s = fitness.state?.participants[p.id];
  if (!s || p.role !== 'member') return nothing;
  return html`<div class="tile-controls">
    <select class="mini" data-testid="tile-level" aria-label=${t('tile.level', { name: p.displayName })} @change=${(e: Event) => run(() => fitness.setLevel(p.id, (e.target as HTMLSelectElement).value as Level))}>
      ${LEVELS.map((l) => html`<option value=${l} ?selected=${s.level === l}>${levelLabel(l, t)}</option>`)}
    </select>
    <button class="mini" data-testid="tile-mute" aria-pressed=${s.mutedByCoach} @click=${() => run(() => fitness.setMuted(p.id, !s.mutedByCoach, lock))}>${t(s.mutedByCoach ? 'chat.unmute' : 'chat.mute')}</button>
    <button class="mini" data-testid="tile-spotlight" @click=${() => run(() => fitness.spotlight(fitness.state?.spotlightId === p.id ? null : p.id))}>${t(fitness.state?.spotlightId === p.id ? 'tile.unspotlight' : 'tile.spotlight')}</button>
    <button class="mini danger" data-testid="tile-remove" @click=${() => run(() => fitness.remove(p.id))}>${t('tile.remove')}</button>
  </div>`;
}

/** A member's reps on the coach's tile (this exercise · the class), 📷 when the camera counted some. */
export function tileReps(fitness: ClassModel, p: RemoteParticipant, t: T = EN): TemplateResult | typeof nothing {
  if (p.role !== 'member' || !fitness.state?.participants[p.id]) return nothing;
  const camera = fitness.totalCameraReps(p.id);
  return html`<span class="reps" data-testid="tile-reps" data-camera=${camera}
    title=${camera ? `${t('tile.reps')}; ${t('reps.camera.counted', { n: camera })}` : t('tile.reps')}
    >${fitness.currentReps(p.id)} · ${fitness.totalReps(p.id)}${camera ? html` <span aria-hidden="true">📷</span>` : nothing}</span
  >`;
}

/** A member's own microphone state: muted by the coach (maybe locked), or a mute button. */
export function micControl(fitness: ClassModel, selfId: string, run: Run, onLocal: (muted: boolean) => void, t: T = EN): TemplateResult {
  const s = fitness.state?.participants[selfId];
  if (s?.mutedByCoach) {
    return html`<div class="mic muted" data-testid="mic-state" data-muted="true" role="status">
      ${t(s.micLocked ? 'mic.coachMuted' : 'mic.muted')}
      ${s.micLocked ? nothing : html`<button class="chip" data-testid="unmute-self" @click=${() => run(async () => (await fitness.setMuted(selfId, false), onLocal(false)))}>${t('chat.unmute')}</button>`}
    </div>`;
  }
  return html`<div class="mic" data-testid="mic-state" data-muted="false">
    <button class="chip" data-testid="mute-self" @click=${() => run(async () => (await fitness.setMuted(selfId, true), onLocal(true)))}>${t('mic.muteMe')}</button>
  </div>`;
}

export function summaryView(fitness: ClassModel, selfId: string | undefined, t: T = EN): TemplateResult | typeof nothing {
  const st = fitness.state;
  const mine = selfId ? st?.participants[selfId] : undefined;
  if (!st || !mine) return nothing;
  const names = new Map(st.plan.map((e) => [e.id, e.name]));
  const rows = Object.entries(mine.reps);
  return html`<section part="summary" class="summary" data-testid="class-summary">
    <h3>${t('summary.yours')}</h3>
    ${rows.length
      ? html`<ul>${rows.map(([id, n]) => html`<li data-exercise-id=${id}><span>${names.get(id) ?? t('summary.freeReps')}</span><span class="num">${n}</span></li>`)}</ul>`
      : html`<p>${t('summary.none')}</p>`}
    <p class="total">${t('summary.total')} <strong data-testid="summary-total">${rows.reduce((a, [, n]) => a + n, 0)}</strong> ${t('reps.unit')}</p>
  </section>`;
}

/** The coach's end-of-class view: attendance, reps per member per exercise, peak. */
export function coachSummaryView(s: ClassSummary | undefined, t: T = EN): TemplateResult {
  if (!s) return html`<p class="muted">${t('coachSummary.loading')}</p>`;
  const members = s.people.filter((p) => p.role === 'member');
  const exercises = [...s.plan, { id: 'freestyle', name: t('summary.freeReps') }].filter((e) => members.some((m) => m.reps[e.id]));
  const minutes = (sec: number) => `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;
  return html`<section part="summary" class="summary coach" data-testid="coach-summary">
    <h3>${t('coachSummary.title')}</h3>
    <p>${t('coachSummary.members', { n: members.length })} <strong data-testid="summary-peak">${s.peakParticipants}</strong> ${t('coachSummary.atOnce')}</p>
    <table>
      <thead><tr><th scope="col">${t('coachSummary.member')}</th><th scope="col">${t('coachSummary.level')}</th><th scope="col">${t('coachSummary.time')}</th>${exercises.map((e) => html`<th scope="col">${e.name}</th>`)}<th scope="col">${t('coachSummary.total')}</th></tr></thead>
      <tbody>
        ${members.map(
          (m) => html`<tr data-identity=${m.identity}>
            <th scope="row">${m.displayName}</th><td>${m.level ? levelLabel(m.level as Level, t) : '–'}</td><td>${minutes(m.presentSeconds)}</td>
            ${exercises.map(
              (e) => html`<td class="num">${m.reps[e.id] ?? 0}${m.cameraReps?.[e.id] ? html` <small class="camera" data-testid="summary-camera" title=${t('reps.camera.counted', { n: m.cameraReps[e.id]! })}>(📷${m.cameraReps[e.id]})</small>` : nothing}</td>`,
            )}<td class="num" data-testid="summary-member-total">${m.totalReps}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
