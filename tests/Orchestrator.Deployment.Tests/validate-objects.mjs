// Validates Kubernetes objects (multi-document YAML on stdin) against the Kubernetes and Prometheus Operator JSON
// schemas of the kubernetes-models packages. Prints one line per object ("ok KIND NAME" or "invalid KIND NAME: why");
// exits 1 if any object is invalid or of an unknown kind. The packages are ES modules installed outside this tree, so
// they are imported by file path from the node_modules folder given as the first argument.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.argv[2];
const load = (relative) => import(pathToFileURL(join(modules, relative)).href);
const YAML = await load("yaml/dist/index.js");
let failed = false;
for (const doc of YAML.parseAllDocuments(readFileSync(0, "utf8"))) {
  const object = doc.toJS();
  if (!object) continue;
  const { apiVersion, kind } = object;
  const name = `${kind} ${object.metadata?.name}`;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const folder = group === "monitoring.coreos.com"
    ? join("@kubernetes-models/prometheus-operator", group, version)
    : join("kubernetes-models", group, version);
  const file = join(folder, `${kind}.js`);
  if (!existsSync(join(modules, file))) {
    console.log(`invalid ${name}: no schema for ${apiVersion} ${kind}`);
    failed = true;
    continue;
  }
  const Model = (await load(file))[kind];
  try {
    new Model(object).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.log(`invalid ${name}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
