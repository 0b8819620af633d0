import { loadManifest } from '../manifest/load-manifest.js';
import type { Model } from '../manifest/model.js';
import type { Proposal } from './propose-manifest.js';
import { renderManifest, type RenderOptions } from './render-manifest.js';

/** The proposal as a model, for the data checks; throws when init proposed something invalid. */
export function draftModel(proposal: Proposal, options: Omit<RenderOptions, 'counts'>): Model {
  const draft = loadManifest(renderManifest(proposal, { ...options, counts: new Map() }), 'policies.yaml');
  if (!draft.ok) throw new Error(`rlsgen init proposed an invalid manifest: ${draft.diagnostics.map((d) => d.message).join('; ')}`);
  return draft.model;
}
