/** Validators for Open Referral HSDS 3.0 records (the schemas in tests/fixtures/hsds, compiled once). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const DIR = path.resolve(import.meta.dirname, '../fixtures/hsds');
const BASE = 'https://hsds.test/';
export type HsdsSchema = 'service' | 'service_list' | 'organization' | 'organization_list' | 'service_at_location' | 'service_at_location_list' | 'taxonomy' | 'taxonomy_term';

let ajv: Ajv | undefined;
const compiled = new Map<HsdsSchema, ValidateFunction>();

/** The validator of one HSDS schema (ajv, all errors, formats checked; HSDS's own keywords such as `datapackage_metadata` allowed). */
export function hsdsValidator(name: HsdsSchema): ValidateFunction {
	if (!ajv) {
		ajv = new Ajv({ strict: false, allErrors: true });
		addFormats(ajv);
		for (const file of ['metadata', 'taxonomy', 'taxonomy_term']) ajv.addSchema({ ...JSON.parse(readFileSync(path.join(DIR, `${file}.json`), 'utf8')), $id: `${BASE}${file}.json` });
	}
	let validate = compiled.get(name);
	if (!validate) {
		validate = ['taxonomy', 'taxonomy_term'].includes(name) ? ajv.getSchema(`${BASE}${name}.json`)! : ajv.compile({ ...JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')), $id: `${BASE}compiled/${name}.json` });
		compiled.set(name, validate);
	}
	return validate;
}

/** The errors of `record` against the schema, as short strings (empty when valid). */
export function hsdsErrors(name: HsdsSchema, record: unknown): string[] {
	const validate = hsdsValidator(name);
	return validate(record) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
