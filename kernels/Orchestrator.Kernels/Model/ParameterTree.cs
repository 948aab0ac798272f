using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Kernels.Model;

/// <summary>
/// Registers flat, dotted parameter names ("layers.0.mlp.up.weight") as a tree of parameter-only modules under a root,
/// so that <c>named_parameters()</c> of the root yields the canonical names used by checkpoints and tests.
/// </summary>
internal static class ParameterTree
{
    public static Dictionary<string, Parameter> Register(nn.Module root, IEnumerable<(string Name, Tensor Value)> parameters) =>
        Register(root, parameters.Select(p => (p.Name, new Parameter(p.Value, requires_grad: true))));

    /// <summary>Registers existing parameters, so that one parameter can be shared by two modules (tied weights).</summary>
    public static Dictionary<string, Parameter> Register(nn.Module root, IEnumerable<(string Name, Parameter Value)> parameters)
    {
        var holders = new Dictionary<string, Holder>();
        var registered = new Dictionary<string, Parameter>();
        foreach (var (name, value) in parameters)
        {
            var cut = name.LastIndexOf('.');
            var parameter = value;
            if (cut < 0)
            {
                throw new ArgumentException($"Parameter name '{name}' needs a module prefix.", nameof(parameters));
            }

            HolderFor(root, holders, name[..cut]).Add(name[(cut + 1)..], parameter);
            registered.Add(name, parameter);
        }

        return registered;
    }

    private static Holder HolderFor(nn.Module root, Dictionary<string, Holder> holders, string path)
    {
        if (holders.TryGetValue(path, out var known))
        {
            return known;
        }

        var cut = path.LastIndexOf('.');
        var holder = new Holder(path[(cut + 1)..]);
        if (cut < 0)
        {
            root.register_module(path, holder);
        }
        else
        {
            HolderFor(root, holders, path[..cut]).AddChild(holder);
        }

        holders.Add(path, holder);
        return holder;
    }

    private sealed class Holder(string name) : nn.Module(name)
    {
        public void Add(string parameterName, Parameter parameter) => register_parameter(parameterName, parameter);

        public void AddChild(Holder child) => register_module(child.GetName(), child);
    }
}
