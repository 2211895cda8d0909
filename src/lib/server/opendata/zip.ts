/**
 * A zip file written from entries already deflated: the compressed data does not depend on the
 * time of export, so the same deflated tables can be put in a zip stating either time (exports.ts
 * compares the file at the stored time, then writes it at the new one) without compressing twice.
 * The zip is the plain 1989 format fflate's zipSync writes (sizes in each local header, no data
 * descriptors, no Zip64): every reader opens it; past 4 GiB it would need Zip64, so it refuses.
 */
import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';

export interface ZipEntry {
	path: string;
	crc: number;
	/** The uncompressed size. */
	size: number;
	/** The raw DEFLATE stream, in pieces. */
	deflated: readonly Uint8Array[];
}

const LIMIT = 0xffffffff;
const encoder = new TextEncoder();

/** A small file deflated at once (datapackage.json). */
export function deflatedEntry(path: string, bytes: Uint8Array): ZipEntry {
	return { path, crc: crc32(bytes), size: bytes.length, deflated: [deflateSync(bytes, { level: 6 })] };
}

/** MS-DOS date and time, which zip states in local time: the directory's, Asia/Tokyo (no daylight saving), whatever the server's zone. */
function dosTime(at: Date): { time: number; date: number } {
	const tokyo = new Date(at.getTime() + 9 * 3600_000);
	return {
		time: (tokyo.getUTCHours() << 11) | (tokyo.getUTCMinutes() << 5) | (tokyo.getUTCSeconds() >> 1),
		date: ((tokyo.getUTCFullYear() - 1980) << 9) | ((tokyo.getUTCMonth() + 1) << 5) | tokyo.getUTCDate()
	};
}

const lengthOf = (pieces: readonly Uint8Array[]) => pieces.reduce((n, p) => n + p.length, 0);

/** The zip of `entries` in order, every entry stating `mtime`, as pieces (the entries' own pieces are not copied). */
export function* zipPieces(entries: readonly ZipEntry[], mtime: Date): Generator<Uint8Array> {
	const { time, date } = dosTime(mtime);
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = encoder.encode(entry.path);
		const compressed = lengthOf(entry.deflated);
		if (entry.size >= LIMIT || compressed >= LIMIT || offset >= LIMIT) throw new Error(`zip: ${entry.path} is past 4 GiB (Zip64 is not written)`);
		const flags = /^[\x20-\x7e]*$/.test(entry.path) ? 0 : 0x0800; // bit 11: the name is UTF-8
		const local = new Uint8Array(30 + name.length);
		const l = new DataView(local.buffer);
		l.setUint32(0, 0x04034b50, true);
		l.setUint16(4, 20, true);
		l.setUint16(6, flags, true);
		l.setUint16(8, 8, true); // deflate
		l.setUint16(10, time, true);
		l.setUint16(12, date, true);
		l.setUint32(14, entry.crc, true);
		l.setUint32(18, compressed, true);
		l.setUint32(22, entry.size, true);
		l.setUint16(26, name.length, true);
		local.set(name, 30);
		const header = new Uint8Array(46 + name.length);
		const c = new DataView(header.buffer);
		c.setUint32(0, 0x02014b50, true);
		c.setUint16(4, 20, true);
		c.setUint16(6, 20, true);
		c.setUint16(8, flags, true);
		c.setUint16(10, 8, true);
		c.setUint16(12, time, true);
		c.setUint16(14, date, true);
		c.setUint32(16, entry.crc, true);
		c.setUint32(20, compressed, true);
		c.setUint32(24, entry.size, true);
		c.setUint16(28, name.length, true);
		c.setUint32(42, offset, true);
		header.set(name, 46);
		central.push(header);
		yield local;
		yield* entry.deflated;
		offset += local.length + compressed;
	}
	const size = lengthOf(central);
	if (offset + size >= LIMIT) throw new Error('zip: past 4 GiB (Zip64 is not written)');
	yield* central;
	const end = new Uint8Array(22);
	const e = new DataView(end.buffer);
	e.setUint32(0, 0x06054b50, true);
	e.setUint16(8, entries.length, true);
	e.setUint16(10, entries.length, true);
	e.setUint32(12, size, true);
	e.setUint32(16, offset, true);
	yield end;
}
