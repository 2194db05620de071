// Stories for <fit-class-room> in Component Story Format. Storybook itself (and a mock room
// model for the live states) arrives with the Storybook issue; these render without a backend.
import '../widget/index.js';

export default {
  title: 'Elements/fit-class-room',
  component: 'fit-class-room',
  args: { server: 'https://media.example-club.com', classId: 'hiit-monday', token: '' },
};

interface Args {
  server: string;
  classId: string;
  token: string;
}

function room(args: Args, style = ''): HTMLElement {
  const el = document.createElement('fit-class-room');
  el.setAttribute('server', args.server);
  el.setAttribute('class-id', args.classId);
  if (args.token) el.setAttribute('token', args.token);
  if (style) el.setAttribute('style', style);
  return el;
}

/** Before joining: the join button and a disconnected state. */
export const Lobby = { render: (args: Args) => room(args) };

/** Theming through custom properties only. */
export const Themed = {
  render: (args: Args) => room(args, '--fit-accent:#2563eb;--fit-bg:#f8fafc;--fit-fg:#0f172a;--fit-tile-bg:#e2e8f0;--fit-radius:4px'),
};
