package io.goflow.exporter.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The direction of every dependency between our packages, read from the compiled classes of every
 * module (decoders, tools, core, app; tests left out): modules point decoders ← core ← app, the
 * core stages point down the pipeline in the order {@code runtime/package-info} gives, the
 * decoders' {@code api} uses no other decoders package and only callers reach the dispatcher, production code
 * never uses the offline tools, and no two packages depend on each other.
 */
@AnalyzeClasses(packages = "io.goflow.exporter", importOptions = ArchitectureTest.ProductionClasses.class)
class ArchitectureTest
{
    /** Leaves out test classes, whether in a {@code test-classes} directory or a test-jar. */
    static final class ProductionClasses implements ImportOption
    {
        @Override
        public boolean includes(final Location location)
        {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }

    private static final String DECODERS = "io.goflow.exporter.decoders..";
    private static final String TOOLS = "io.goflow.exporter.tools..";

    /** Core and app, first to last: a layer may use its own and earlier layers only. */
    @ArchTest
    static final ArchRule PIPELINE_POINTS_DOWN = layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitectureIgnoring(DECODERS, TOOLS)
        .layer("decoders").definedBy(DECODERS)
        .layer("log and config").definedBy("io.goflow.exporter.log..", "io.goflow.exporter.config..")
        .layer("ring").definedBy("io.goflow.exporter.ring..")
        .layer("receive").definedBy("io.goflow.exporter.receive..")
        .layer("enrich").definedBy("io.goflow.exporter.enrich..")
        .layer("decode").definedBy("io.goflow.exporter.decode..")
        .layer("aggregate").definedBy("io.goflow.exporter.aggregate..")
        .layer("expose").definedBy("io.goflow.exporter.expose..")
        .layer("runtime").definedBy("io.goflow.exporter.runtime..")
        .layer("app").definedBy("io.goflow.exporter.http..", "io.goflow.exporter.app..")
        .whereLayer("app").mayNotBeAccessedByAnyLayer()
        .whereLayer("runtime").mayOnlyBeAccessedByLayers("app")
        .whereLayer("expose").mayOnlyBeAccessedByLayers("runtime", "app")
        .whereLayer("aggregate").mayOnlyBeAccessedByLayers("expose", "runtime", "app")
        .whereLayer("decode").mayOnlyBeAccessedByLayers("aggregate", "expose", "runtime", "app")
        .whereLayer("enrich").mayOnlyBeAccessedByLayers("decode", "aggregate", "expose", "runtime", "app")
        .whereLayer("receive").mayOnlyBeAccessedByLayers(
            "enrich", "decode", "aggregate", "expose", "runtime", "app")
        .whereLayer("ring").mayOnlyBeAccessedByLayers(
            "receive", "enrich", "decode", "aggregate", "expose", "runtime", "app")
        .whereLayer("log and config").mayOnlyBeAccessedByLayers(
            "ring", "receive", "enrich", "decode", "aggregate", "expose", "runtime", "app");

    /** Inside the decoders: api uses no other decoders package; nothing but dispatch reaches dispatch. */
    @ArchTest
    static final ArchRule DECODER_API_STANDS_ALONE = noClasses().that().resideInAPackage("io.goflow.exporter.decoders.api..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.goflow.exporter.decoders.dispatch..", "io.goflow.exporter.decoders.sampling..",
            "io.goflow.exporter.decoders.header..", "io.goflow.exporter.decoders.template..",
            "io.goflow.exporter.decoders.ipfix..", "io.goflow.exporter.decoders.netflow5..",
            "io.goflow.exporter.decoders.netflow9..", "io.goflow.exporter.decoders.sflow..",
            "io.goflow.exporter.decoders.packet..");

    @ArchTest
    static final ArchRule ONLY_CALLERS_REACH_THE_DISPATCHER = noClasses()
        .that().resideInAPackage(DECODERS).and().resideOutsideOfPackage("io.goflow.exporter.decoders.dispatch..")
        .should().dependOnClassesThat().resideInAPackage("io.goflow.exporter.decoders.dispatch..");

    /** Production code never uses the offline tools (pcap reading, {@code decode}). */
    @ArchTest
    static final ArchRule PRODUCTION_USES_NO_TOOL = noClasses().that().resideOutsideOfPackage(TOOLS)
        .should().dependOnClassesThat().resideInAPackage(TOOLS);

    /** No package cycle anywhere, sub-packages counted as packages of their own. */
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.goflow.exporter.(**)").should().beFreeOfCycles();
}
