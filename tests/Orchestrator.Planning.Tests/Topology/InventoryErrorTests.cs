using Orchestrator.Planning.Topology;

namespace Orchestrator.Planning.Tests.Topology;

public sealed class InventoryErrorTests
{
    private const string Header = "apiVersion: orchestrator/v1\nkind: Inventory\nmetadata: { name: c }\nspec:\n";

    /// <summary>A document whose line 6 onwards is the racks of block b0 (lines 1-4 header, 5 'blocks:', 6 '- name: b0', 7 'racks:').</summary>
    private static string WithRacks(string racks) => Header + "  blocks:\n    - name: b0\n      racks:\n" + racks;

    public static TheoryData<string, string, string, int> BadDocuments() => new()
    {
        // yaml, field path, problem fragment, line
        { "apiVersion: orchestrator/v1\nkind: [unclosed\n", "", "malformed YAML", 3 },
        { "apiVersion: orchestrator/v2\nkind: Inventory\nmetadata: { name: c }\nspec: { blocks: [] }\n", "apiVersion", "expected 'orchestrator/v1', got 'orchestrator/v2'", 1 },
        { "apiVersion: orchestrator/v1\nkind: TrainingJob\nmetadata: { name: c }\nspec: { blocks: [] }\n", "kind", "expected 'Inventory', got 'TrainingJob'", 2 },
        { "apiVersion: orchestrator/v1\nkind: Inventory\nmetadata: { name: c }\nspec: {}\nstatus: {}\n", "status", "unknown field", 5 },
        { "apiVersion: orchestrator/v1\nkind: Inventory\nmetadata: {}\nspec: {}\n", "metadata.name", "missing required field", 3 },
        { Header + "  links: {}\n", "spec.blocks", "missing required field", 5 },
        { Header + "  blocks: []\n", "spec.blocks", "must list at least one entry", 5 },
        { Header + "  blocks: { name: b0 }\n", "spec.blocks", "expected a list, got a mapping", 5 },
        { Header + "  links:\n    rack: { bandwidth: 0, latency: 5 }\n  blocks: []\n", "spec.links.rack.bandwidth", "must be more than zero, got 0", 6 },
        { Header + "  links:\n    rack: { bandwidth: 25, latency: -1 }\n  blocks: []\n", "spec.links.rack.latency", "must be zero or more, got -1", 6 },
        { Header + "  links:\n    spine: { bandwidth: 25, latency: 1 }\n  blocks: []\n", "spec.links.spine", "unknown field", 6 },
        { Header + "  links:\n    rack: { bandwidth: fast, latency: 1 }\n  blocks: []\n", "spec.links.rack.bandwidth", "expected a number, got 'fast'", 6 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8, gpuType: h900 }\n"), "spec.blocks[0].racks[0].gpuType", "unknown GPU type 'h900'", 8 },
        { WithRacks("        - { name: r0, nodes: 0, gpusPerNode: 8, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].nodes", "must be at least 1, got 0", 8 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: -8, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].gpusPerNode", "must be at least 1, got -8", 8 },
        { WithRacks("        - { name: r0, nodes: 2.5, gpusPerNode: 8, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].nodes", "expected a whole number, got '2.5'", 8 },
        { WithRacks("        - { name: r0, nodes: 2, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].gpusPerNode", "missing required field", 8 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8 }\n"), "spec.blocks[0].racks[0].gpuType", "missing required field", 8 },
        { WithRacks("        - { name: r0, gpusPerNode: 8, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].nodes", "missing required field", 8 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8, gpuType: h100-80gb, gpuTyp: x }\n"), "spec.blocks[0].racks[0].gpuTyp", "unknown field", 8 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8, gpuType: h100-80gb, nvlinkDomain: row }\n"), "spec.blocks[0].racks[0].nvlinkDomain", "unknown NVLink domain mode 'row'", 8 },
        { WithRacks("        - { name: R_0, nodes: 2, gpusPerNode: 8, gpuType: h100-80gb }\n"), "spec.blocks[0].racks[0].name", "'R_0' is not a valid name", 8 },
        { WithRacks("        - { name: r0, nodes: 1, gpusPerNode: 8, gpuType: h100-80gb }\n        - { name: r0, nodes: 1, gpusPerNode: 8, gpuType: h100-80gb }\n"),
            "spec.blocks[0].racks[1].name", "duplicate rack name 'r0' in block 'b0'", 9 },
        { WithRacks("        - name: r0\n          gpuType: h100-80gb\n          gpusPerNode: 8\n          nodes: [ a, b, a ]\n"),
            "spec.blocks[0].racks[0].nodes[2]", "duplicate node name 'a'", 11 },
        { WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8, gpuType: h100-80gb }\n        - name: r1\n          gpuType: h100-80gb\n          gpusPerNode: 8\n          nodes:\n            - name: b0-r0-n01\n"),
            "spec.blocks[0].racks[1].nodes[0].name", "duplicate node name 'b0-r0-n01'", 13 },
        { WithRacks("        - name: r0\n          gpusPerNode: 8\n          nodes: [ { name: a, gpuType: h100-80gb }, b ]\n"), "spec.blocks[0].racks[0].gpuType", "missing required field", 8 },
        { WithRacks("        - name: r0\n          gpusPerNode: 4\n          gpuType: h200-141gb\n          nvlinkDomain: rack\n          nodes: [ a, { name: b, gpuType: a100-80gb } ]\n"),
            "spec.blocks[0].racks[0].nvlinkDomain", "one NVLink domain per rack needs one GPU type", 12 },
        { WithRacks("        - { name: r0, nodes: 1, gpusPerNode: 8, gpuType: h100-80gb }\n    - name: b0\n      racks: []\n"), "spec.blocks[1].name", "duplicate block name 'b0'", 9 },
        { WithRacks("        - { name: r0, nodes: 1, gpusPerNode: 8, gpuType: h100-80gb, gpuType: a100-80gb }\n"), "", "malformed YAML: Duplicate key", 8 },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void Bad_documents_are_rejected_naming_the_field_and_line(string yaml, string fieldPath, string problem, int line)
    {
        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Parse(yaml, "bad.yaml"));

        Assert.Equal(fieldPath, error.FieldPath ?? "");
        Assert.Equal(line, error.Line);
        Assert.Contains(problem, error.Message);
        Assert.StartsWith($"bad.yaml: {(fieldPath.Length > 0 ? fieldPath + ": " : "")}", error.Message);
        Assert.Contains($"(line {line})", error.Message);
    }

    [Fact]
    public void An_unknown_gpu_type_message_names_path_line_and_the_known_types()
    {
        var yaml = WithRacks("        - { name: r0, nodes: 2, gpusPerNode: 8, gpuType: h100-80gb }\n        - { name: r1, nodes: 2, gpusPerNode: 8, gpuType: h900 }\n");

        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Parse(yaml, "c.yaml"));

        Assert.Equal(
            "c.yaml: spec.blocks[0].racks[1].gpuType: unknown GPU type 'h900' (line 9); known: a100-40gb, a100-80gb, h100-80gb, h200-141gb, cpu",
            error.Message);
    }

    [Fact]
    public void An_unknown_field_message_lists_the_allowed_fields()
    {
        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Parse(Header + "  blocks: []\n  racks: []\n", "c.yaml"));

        Assert.Equal("c.yaml: spec.racks: unknown field (line 6); allowed: links, blocks", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_document_is_rejected(string yaml)
    {
        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Parse(yaml, "empty.yaml"));

        Assert.Equal("empty.yaml: the document is empty", error.Message);
    }

    [Fact]
    public void Two_documents_in_one_file_are_rejected()
    {
        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Parse("a: 1\n---\nb: 2\n", "two.yaml"));

        Assert.Contains("expected one Inventory document, found 2", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_inventory_error()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<InventoryException>(() => InventoryDocument.Load(path));

        Assert.StartsWith($"{path}: cannot read the inventory", error.Message);
    }

    [Fact]
    public async Task A_missing_file_behind_the_file_source_is_an_inventory_error()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var error = await Assert.ThrowsAsync<InventoryException>(() => new FileInventorySource(path).LoadAsync(CancellationToken.None));

        Assert.StartsWith($"{path}: cannot read the inventory", error.Message);
    }
}
