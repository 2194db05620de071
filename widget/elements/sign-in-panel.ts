import { html, nothing, type TemplateResult } from 'lit';
import type { SupabaseSignIn } from '../auth/supabase-sign-in.js';
import { englishTexts, type Texts } from '../i18n/locale.js';

/**
 * The sign-in form of <fit-class-room> and <fit-live-stream> when the club uses Supabase Auth:
 * email and password, or a code sent by email. A pure function of the model; labels on every
 * field, errors announced, autocomplete hints for password managers and one-time codes.
 */
export function signInPanel(model: SupabaseSignIn, mode: 'password' | 'code', setMode: (m: 'password' | 'code') => void, i18n: Texts = englishTexts): TemplateResult {
  const s = model.state;
  const { t } = i18n;
  const busy = s.phase === 'working' || s.phase === 'loading';
  const error = s.error ? html`<p class="sign-in-error" role="alert" data-testid="sign-in-error" data-code=${s.error.code}>${i18n.error(s.error)}</p>` : nothing;
  const value = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
  if (s.phase === 'signed-in') {
    return html`<p class="signed-in" data-testid="signed-in">${t('signIn.as')} <strong>${s.user?.displayName}</strong>
      <button class="mini" data-testid="sign-out" @click=${() => void model.signOut()}>${t('signIn.out')}</button></p>`;
  }
  if (s.phase === 'code-sent' || (s.phase === 'working' && s.email)) {
    return html`<form part="sign-in" class="sign-in" data-testid="sign-in" aria-busy=${busy}
      @submit=${(e: Event) => (e.preventDefault(), void model.verifyCode(value(e.target as HTMLFormElement, 'code')))}>
      <p>${t('signIn.codeSent')} <strong>${s.email}</strong>.</p>
      <label>${t('signIn.code')} <input name="code" data-testid="sign-in-code" inputmode="numeric" autocomplete="one-time-code" required /></label>
      ${error}
      <div class="sign-in-actions">
        <button type="submit" data-testid="sign-in-submit" ?disabled=${busy}>${t('signIn.submit')}</button>
        <button type="button" class="mini" @click=${() => model.restart()}>${t('signIn.otherEmail')}</button>
      </div>
    </form>`;
  }
  return html`<form part="sign-in" class="sign-in" data-testid="sign-in" aria-busy=${busy}
    @submit=${(e: Event) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      void (mode === 'password' ? model.signInWithPassword(value(form, 'email'), value(form, 'password')) : model.sendCode(value(form, 'email')));
    }}>
    <p>${t('signIn.prompt')}</p>
    <label>${t('signIn.email')} <input name="email" type="email" data-testid="sign-in-email" autocomplete="email" required /></label>
    ${mode === 'password' ? html`<label>${t('signIn.password')} <input name="password" type="password" data-testid="sign-in-password" autocomplete="current-password" required /></label>` : nothing}
    ${error}
    <div class="sign-in-actions">
      <button type="submit" data-testid="sign-in-submit" ?disabled=${busy}>${t(mode === 'password' ? 'signIn.submit' : 'signIn.emailCode')}</button>
      <button type="button" class="mini" data-testid="sign-in-mode" @click=${() => setMode(mode === 'password' ? 'code' : 'password')}>
        ${t(mode === 'password' ? 'signIn.codeInstead' : 'signIn.passwordInstead')}
      </button>
    </div>
  </form>`;
}
