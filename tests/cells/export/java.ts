import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, run } from './support.ts';

/**
 * Java for the export tests: the AWS SDK for Java 2.x classpath that tests/java/classpath.sh
 * resolves with Maven (once per pom, into .cache/), one javac run for every source, and one JVM
 * per program. The compiled classes (a jar) and a class-data sharing archive of a run are cached
 * in .cache/java/ under a digest of the sources, the classpath and the JDK, so an unchanged suite
 * skips javac and starts its JVMs quickly.
 */

const CACHE = join(ROOT, '.cache', 'java');

/** Quick start-up for short programs: no C2 compiler, the serial collector. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

let classpathFound: Promise<string> | undefined;

/** The SDK's classpath, resolved by Maven on first use; an Error naming what is missing. */
export function javaClasspath(): Promise<string> {
  classpathFound ??= (async () => {
    for (const tool of ['javac', 'java']) {
      const probe = await run(tool, ['-version']).catch(() => undefined);
      if (probe?.code !== 0) {
        throw new Error(`${tool} is not installed: the Java export tests need a JDK 17 or later.`);
      }
    }
    const resolved = await run('bash', [join(ROOT, 'tests', 'java', 'classpath.sh')], {
      timeoutMs: 300_000,
    });
    if (resolved.code !== 0) {
      throw new Error(`tests/java/classpath.sh failed:\n${resolved.stderr}`);
    }
    return readFileSync(resolved.stdout.trim(), 'utf8').trim();
  })();
  return classpathFound;
}

/** A Java source file to compile: its class, in a package of its own, and its text. */
export interface JavaSource {
  /** The package the test puts it in, so classes of the same name compile side by side. */
  pkg: string;
  /** The public class, which names the file. */
  className: string;
  text: string;
}

/**
 * Compiles every source in one javac run (or finds them compiled before) and returns the jar of
 * their classes. Each source gets one first line, `package <pkg>;`, and is otherwise as given.
 */
export async function compileJava(sources: JavaSource[]): Promise<string> {
  const classpath = await javaClasspath();
  const jdk = await run('javac', ['-version']);
  const digest = createHash('sha256').update(`${jdk.stdout}${jdk.stderr}\n${classpath}\n`);
  for (const s of sources) digest.update(`${s.pkg}.${s.className}\n${s.text}\n`);
  const name = `exports-${digest.digest('hex').slice(0, 16)}`;
  const jar = join(CACHE, `${name}.jar`);
  if (existsSync(jar)) return jar;

  const work = join(CACHE, `${name}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const files = sources.map((s) => {
    const file = join(work, 'src', ...s.pkg.split('.'), `${s.className}.java`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `package ${s.pkg};\n${s.text}`);
    return file;
  });
  const classes = join(work, 'classes');
  const javac = await run(
    'javac',
    ['-encoding', 'UTF-8', '-nowarn', '-cp', classpath, '-d', classes, ...files],
    { timeoutMs: 120_000 },
  );
  if (javac.code !== 0) throw new Error(`javac failed:\n${javac.stdout}${javac.stderr}`);
  // A jar rather than a folder: the JVM's class-data sharing archives only jars.
  const packed = await run('jar', ['cf', join(work, 'exports.jar'), '-C', classes, '.']);
  if (packed.code !== 0) throw new Error(`jar failed:\n${packed.stderr}`);
  renameSync(join(work, 'exports.jar'), jar);
  rmSync(work, { recursive: true, force: true });
  // Only the latest sources' classes (and their archive) are worth keeping.
  for (const old of readdirSync(CACHE)) {
    if (old.startsWith('exports-') && !old.startsWith(name) && !old.includes('.partial-')) {
      rmSync(join(CACHE, old), { recursive: true, force: true });
    }
  }
  return jar;
}

/**
 * Runs one program's main class with the SDK on the classpath. The first run of a jar records
 * the classes it loaded in a class-data sharing archive beside it; later runs map that archive
 * instead of loading and verifying the SDK's classes again, which halves their start-up.
 */
export async function runJava(
  jar: string,
  mainClass: string,
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): ReturnType<typeof run> {
  const classpath = `${jar}:${await javaClasspath()}`;
  const archive = jar.replace(/\.jar$/, '.jsa');
  const recording = `${archive}.partial-${process.pid}`;
  const sharing = existsSync(archive)
    ? `-XX:SharedArchiveFile=${archive}`
    : `-XX:ArchiveClassesAtExit=${recording}`;
  // The JVM's own warnings (the archive's, say) go to stderr, never into the program's output.
  const logging = ['-Xlog:disable', '-Xlog:all=warning:stderr'];
  const result = await run(
    'java',
    [...JVM_FLAGS, ...logging, sharing, '-cp', classpath, mainClass],
    { env, cwd, timeoutMs: 60_000 },
  );
  if (existsSync(recording)) renameSync(recording, archive);
  return result;
}
