/** Prints DDL nodes back as SQL accepted by MySQL and MariaDB; identifiers are always quoted. */
import { quoteId } from '../../mysql/identifier.js';
import type { AlterSpec, ColumnDef, ColumnPosition, DataType, IndexDef, KeyPart, Statement, TableName } from './ast.js';

/** A MySQL string literal. */
export function quoteString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
}

export function printTableName(t: TableName): string {
  return t.schema !== undefined ? `${quoteId(t.schema)}.${quoteId(t.name)}` : quoteId(t.name);
}

export function printDataType(t: DataType): string {
  let s = t.name;
  if (t.values) s += `(${t.values.map(quoteString).join(',')})`;
  else if (t.length !== undefined) s += `(${t.length}${t.scale !== undefined ? `,${t.scale}` : ''})`;
  if (t.unsigned === true) s += ' UNSIGNED';
  if (t.unsigned === false) s += ' SIGNED';
  if (t.zerofill) s += ' ZEROFILL';
  if (t.binary) s += ' BINARY';
  if (t.charset !== undefined) s += ` CHARACTER SET ${t.charset}`;
  if (t.collate !== undefined) s += ` COLLATE ${t.collate}`;
  return s;
}

export function printColumn(c: ColumnDef): string {
  const parts = [quoteId(c.name), printDataType(c.type)];
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expr}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  if (c.notNull === true) parts.push('NOT NULL');
  if (c.notNull === false) parts.push('NULL');
  if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
  if (c.onUpdate !== undefined) parts.push(`ON UPDATE ${c.onUpdate}`);
  if (c.autoIncrement) parts.push('AUTO_INCREMENT');
  if (c.invisible === true) parts.push('INVISIBLE');
  if (c.invisible === false) parts.push('VISIBLE');
  if (c.unique) parts.push('UNIQUE KEY');
  if (c.primaryKey) parts.push('PRIMARY KEY');
  if (c.comment !== undefined) parts.push(`COMMENT ${quoteString(c.comment)}`);
  for (const e of c.extra ?? []) parts.push(e);
  return parts.join(' ');
}

function printKeyPart(k: KeyPart): string {
  const s = k.expr !== undefined ? `(${k.expr})` : `${quoteId(k.column ?? '')}${k.length !== undefined ? `(${k.length})` : ''}`;
  return k.desc ? `${s} DESC` : s;
}

export function printKeyParts(parts: readonly KeyPart[]): string {
  return `(${parts.map(printKeyPart).join(',')})`;
}

export function printIndex(ix: IndexDef): string {
  const parts: string[] = [];
  if (ix.constraint !== undefined) parts.push(ix.constraint === '' ? 'CONSTRAINT' : `CONSTRAINT ${quoteId(ix.constraint)}`);
  const kw: Record<IndexDef['kind'], string> = {
    primary: 'PRIMARY KEY',
    unique: 'UNIQUE KEY',
    index: 'KEY',
    fulltext: 'FULLTEXT KEY',
    spatial: 'SPATIAL KEY',
    foreign: 'FOREIGN KEY',
    check: 'CHECK',
  };
  parts.push(kw[ix.kind]);
  if (ix.kind === 'check') {
    parts.push(`(${ix.check ?? ''})`);
  } else {
    if (ix.ifNotExists) parts.push('IF NOT EXISTS');
    if (ix.name !== undefined) parts.push(quoteId(ix.name));
    if (ix.using !== undefined) parts.push(`USING ${ix.using}`);
    parts.push(printKeyParts(ix.columns));
    if (ix.references) {
      parts.push(`REFERENCES ${printTableName(ix.references.table)} (${ix.references.columns.map(quoteId).join(',')})`);
    }
  }
  if (ix.options !== undefined) parts.push(ix.options);
  return parts.join(' ');
}

function printPosition(p: ColumnPosition | undefined): string {
  if (!p) return '';
  return 'first' in p ? ' FIRST' : ` AFTER ${quoteId(p.after)}`;
}

export function printAlterSpec(s: AlterSpec): string {
  switch (s.type) {
    case 'addColumn': {
      const ine = s.ifNotExists ? 'IF NOT EXISTS ' : '';
      if (s.parenthesized) return `ADD COLUMN ${ine}(${s.columns.map(printColumn).join(', ')})`;
      return `ADD COLUMN ${ine}${s.columns.map(printColumn).join('')}${printPosition(s.position)}`;
    }
    case 'addIndex':
      return `ADD ${printIndex(s.index)}`;
    case 'dropColumn':
      return `DROP COLUMN ${s.ifExists ? 'IF EXISTS ' : ''}${quoteId(s.name)}`;
    case 'dropIndex':
      return `DROP INDEX ${s.ifExists ? 'IF EXISTS ' : ''}${quoteId(s.name)}`;
    case 'dropPrimaryKey':
      return 'DROP PRIMARY KEY';
    case 'dropForeignKey':
      return `DROP FOREIGN KEY ${s.ifExists ? 'IF EXISTS ' : ''}${quoteId(s.name)}`;
    case 'modifyColumn':
      return `MODIFY COLUMN ${s.ifExists ? 'IF EXISTS ' : ''}${printColumn(s.column)}${printPosition(s.position)}`;
    case 'changeColumn':
      return `CHANGE COLUMN ${s.ifExists ? 'IF EXISTS ' : ''}${quoteId(s.oldName)} ${printColumn(s.column)}${printPosition(s.position)}`;
    case 'renameColumn':
      return `RENAME COLUMN ${quoteId(s.oldName)} TO ${quoteId(s.newName)}`;
    case 'renameIndex':
      return `RENAME INDEX ${quoteId(s.oldName)} TO ${quoteId(s.newName)}`;
    case 'renameTable':
      return `RENAME TO ${printTableName(s.newName)}`;
    case 'alterColumnDefault':
      return `ALTER COLUMN ${quoteId(s.name)} ${s.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${s.default}`}`;
    case 'tableOptions':
    case 'raw':
      return s.text;
  }
}

export function printStatement(st: Statement): string {
  switch (st.type) {
    case 'createTable': {
      let s = `CREATE ${st.orReplace ? 'OR REPLACE ' : ''}${st.temporary ? 'TEMPORARY ' : ''}TABLE ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${printTableName(st.table)}`;
      if (st.like) s += ` LIKE ${printTableName(st.like)}`;
      else if (st.columns.length + st.constraints.length > 0) {
        const defs = [...st.columns.map(printColumn), ...st.constraints.map(printIndex)];
        s += ` (\n  ${defs.join(',\n  ')}\n)`;
      }
      if (st.options !== undefined) s += ` ${st.options}`;
      return s;
    }
    case 'alterTable':
      return `ALTER ${st.modifiers !== undefined ? `${st.modifiers} ` : ''}TABLE ${printTableName(st.table)}${st.specs.length > 0 ? ' ' : ''}${st.specs.map(printAlterSpec).join(', ')}`;
    case 'dropTable':
      return `DROP ${st.temporary ? 'TEMPORARY ' : ''}TABLE ${st.ifExists ? 'IF EXISTS ' : ''}${st.tables.map(printTableName).join(', ')}${st.tail !== undefined ? ` ${st.tail}` : ''}`;
    case 'renameTable':
      return `RENAME TABLE ${st.pairs.map((p) => `${printTableName(p.from)} TO ${printTableName(p.to)}`).join(', ')}`;
    case 'truncateTable':
      return `TRUNCATE TABLE ${printTableName(st.table)}`;
    case 'createIndex': {
      const ix = st.index;
      const kind = ix.kind === 'unique' ? 'UNIQUE ' : ix.kind === 'fulltext' ? 'FULLTEXT ' : ix.kind === 'spatial' ? 'SPATIAL ' : '';
      return `CREATE ${kind}INDEX ${ix.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteId(ix.name ?? '')}${ix.using !== undefined ? ` USING ${ix.using}` : ''} ON ${printTableName(st.table)} ${printKeyParts(ix.columns)}${ix.options !== undefined ? ` ${ix.options}` : ''}`;
    }
    case 'dropIndex':
      return `DROP INDEX ${st.ifExists ? 'IF EXISTS ' : ''}${quoteId(st.name)} ON ${printTableName(st.table)}${st.tail !== undefined ? ` ${st.tail}` : ''}`;
    case 'createDatabase':
      return `CREATE DATABASE ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteId(st.name)}${st.options !== undefined ? ` ${st.options}` : ''}`;
    case 'dropDatabase':
      return `DROP DATABASE ${st.ifExists ? 'IF EXISTS ' : ''}${quoteId(st.name)}`;
    case 'unsupported':
      return st.text;
  }
}
