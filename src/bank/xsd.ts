import { readFile } from "node:fs/promises";
import { validateXML } from "xmllint-wasm";

export interface XmlValidationResult {
  valid: boolean;
  /** xmllint's messages, e.g. "file.xml:12: element CtrlSum: Schemas validity error : …". */
  errors: string[];
}

// Schemas are large (the EPC ones ~100 kB) and fixed, so they are read once per path.
const schemaCache = new Map<string, Promise<string>>();

/**
 * Validates an XML document against an XSD with libxml2 (compiled to WebAssembly, run in a worker
 * thread). The EPC and ISO bank schemas are self-contained, so no imports are preloaded.
 */
export async function validateXml(xml: string, schemaPath: string): Promise<XmlValidationResult> {
  let schema = schemaCache.get(schemaPath);
  if (!schema) {
    schema = readFile(schemaPath, "utf8");
    schemaCache.set(schemaPath, schema);
    // A failed read must not be cached forever.
    schema.catch(() => schemaCache.delete(schemaPath));
  }
  const result = await validateXML({
    xml: [{ fileName: "document.xml", contents: xml }],
    schema: [{ fileName: "schema.xsd", contents: await schema }],
    // Bank files for hundreds of thousands of policies exceed the 32 MiB default.
    maxMemoryPages: 16 * 1024,
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
