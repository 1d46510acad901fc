/**
 * @module
 * `lambda-wasm new`: project templates and scaffolding (docs/new.md).
 */
export { createProject, type NewProjectOptions, type NewProjectResult } from './scaffold.js';
export { TEMPLATES, TEMPLATE_NAMES, isTemplateName, type Template, type TemplateName } from './templates.js';
