/**
 * The playground's panels: presentational React components that take props only (no store
 * imports). The app and the embed wire them to the worker.
 */
import './panels.css';

export { Console, type ConsoleProps, type ConsoleResult } from './console/Console';
export { complete, type Completion } from './console/completion';
export { namesForLine, type NameSource } from './console/names';
export { YamlEditor, type YamlEditorProps, type ApplyResult } from './yaml/YamlEditor';
export { YAML_EXAMPLES, type YamlExample } from './yaml/examples';
export type { LineError } from './yaml/diagnostics';
export { EventsPanel, type EventsPanelProps } from './events/EventsPanel';
export type { EventRow } from './events/filter';
export { Inspector, type InspectorProps, type ConditionPoint } from './inspector/Inspector';
export type { SchedulingExplanation, NodeVerdict } from './inspector/explain';
export { safeStorage } from '../storage';
