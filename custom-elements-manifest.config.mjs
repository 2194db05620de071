// `npm run cem` → custom-elements.json: every public element's attributes, properties, events
// (@fires), CSS parts (@csspart), custom properties (@cssproperty) and slots, read from the
// sources' JSDoc. Shipped with the package; Storybook's autodocs and editors read it.

/**
 * Lit's internal reactive state (`{ state: true }` in `static properties`) is not an attribute
 * nor public API: drop it from the manifest (the analyzer lists every static property).
 */
function litInternalState() {
  const stateByClass = new Map();
  return {
    name: 'fitlive-lit-internal-state',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || member.name.getText() !== 'properties' || !member.initializer || !ts.isObjectLiteralExpression(member.initializer)) continue;
        const state = new Set();
        for (const prop of member.initializer.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
          const isState = prop.initializer.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'state' && p.initializer.kind === ts.SyntaxKind.TrueKeyword);
          if (isState) state.add(prop.name.getText());
        }
        stateByClass.set(node.name.getText(), state);
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const decl of moduleDoc.declarations ?? []) {
        const state = stateByClass.get(decl.name);
        if (!state) continue;
        decl.attributes = (decl.attributes ?? []).filter((a) => !state.has(a.fieldName ?? a.name));
        decl.members = (decl.members ?? []).filter((m) => !state.has(m.name));
      }
    },
    // FitElement.emit(name, …) dispatches whatever `fit-*` event it is given: not an event itself.
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) for (const decl of mod.declarations ?? []) if (decl.events) decl.events = decl.events.filter((e) => e.name?.startsWith('fit-'));
    },
  };
}

export default {
  // The elements only (their JSDoc is the public API); panels and controllers are internals.
  globs: ['widget/elements/*/fit-*.ts', 'widget/elements/fit-element.ts'],
  exclude: ['**/*.styles.ts'],
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [litInternalState()],
};
