/** The provable record: the checkpoint key ring, signed checkpoints, and checks of the store against them. */
export { CheckpointKeyring, defaultKeyName, PRIVATE_KEY_FILE, PUBLIC_KEYS_FILE, readVerifierKeys, type SigningKey } from './checkpoint-key.js';
export { recordSettingsFromEnv, type RecordSettings } from './record-settings.js';
export { type CheckpointVerdict, type CheckpointWitness, type RecordProblem, RecordService, type SelfCheck } from './record-service.js';
