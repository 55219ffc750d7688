/**
 * A YAML config text with every password value replaced by `******` (DM's get-config and OpenAPI
 * answers). Comments and key order stay; a text that is not YAML is replaced entirely (nothing in it can
 * be shown safely).
 */
import { isPair, isScalar, parseDocument, visit } from 'yaml';

export const MASK = '******';

export function maskYamlSecrets(text: string): string {
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length > 0) return `# (config not shown: it is not valid YAML)\n`;
  visit(doc, {
    Pair(_k, pair) {
      if (isPair(pair) && isScalar(pair.key) && /password/i.test(String(pair.key.value)) && (isScalar(pair.value) || pair.value === null)) {
        pair.value = doc.createNode(MASK);
        return visit.SKIP;
      }
      return undefined;
    },
  });
  return doc.toString();
}
