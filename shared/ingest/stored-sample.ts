/** A sample as the store keeps it: the sample, its file and version, and the evaluation summary queries use. */
import type { Evaluation } from '../domain/evaluate.js';
import type { Sample } from '../domain/sample.js';
import type { StoredSample } from '../ports/index.js';

export function toStored(sample: Sample, evaluation: Evaluation, fileId: string, fileVersion: string): StoredSample {
  return { sample, fileId, fileVersion, grade: evaluation.grade, cwqi: evaluation.cwqi, compliant: evaluation.compliant };
}
