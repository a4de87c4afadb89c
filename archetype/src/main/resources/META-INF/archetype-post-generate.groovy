// A jar keeps no file modes: make the generated project's Maven wrapper executable again, so ./mvnw runs.
def mvnw = new File(new File(request.outputDirectory, request.artifactId), 'mvnw')
if (!mvnw.setExecutable(true, false)) {
    println "[WARNING] could not make ${mvnw} executable: run it as 'sh mvnw'"
}
