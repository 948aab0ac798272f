using Orchestrator.Kernels.Communication;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// All-to-all of rows with uneven counts over the expert-parallel group, as an autograd function: forward sends rows
/// by <c>sendRows</c>; backward sends the gradients the opposite way (receive and send counts swapped), so every rank's
/// backward joins the same collective in turn.
/// </summary>
internal sealed class ExpertAllToAll : SingleTensorFunction<ExpertAllToAll>
{
    private const string GroupKey = "group";
    private const string SendKey = "send";
    private const string ReceiveKey = "receive";

    public override string Name => nameof(ExpertAllToAll);

    /// <summary>Differentiable exchange of <paramref name="input"/> [rows, hidden] over <paramref name="group"/>.</summary>
    public static Tensor Apply(Tensor input, ICommunicator group, long[] sendRows, long[] receiveRows) =>
        apply(input, group, sendRows, receiveRows);

    /// <summary>
    /// Sends rows [sum(sendRows[..r]), +sendRows[r]) of <paramref name="input"/> to member r and returns what arrived,
    /// concatenated in source order, checking that member r sent <paramref name="receiveRows"/>[r] rows.
    /// </summary>
    public static Tensor Exchange(Tensor input, ICommunicator group, IReadOnlyList<long> sendRows, IReadOnlyList<long> receiveRows)
    {
        if (sendRows.Count != group.Size || receiveRows.Count != group.Size || sendRows.Sum() != input.shape[0])
        {
            throw new ArgumentException(
                $"Expert all-to-all on member {group.Rank} of {group.Size}: send counts [{string.Join(", ", sendRows)}] must have one entry per member and sum to the {input.shape[0]} input rows.");
        }

        var received = group.AllToAll(input.split(sendRows.ToArray(), 0));
        for (var source = 0; source < received.Count; source++)
        {
            if (received[source].shape[0] != receiveRows[source])
            {
                throw new InvalidOperationException(
                    $"Expert all-to-all on member {group.Rank}: expected {receiveRows[source]} rows from member {source}, got {received[source].shape[0]}.");
            }
        }

        return cat(received.ToArray(), 0);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var group = (ICommunicator)vars[1];
        var send = (long[])vars[2];
        var receive = (long[])vars[3];
        ctx.save_data(GroupKey, group);
        ctx.save_data(SendKey, send);
        ctx.save_data(ReceiveKey, receive);
        return Exchange(input.detach(), group, send, receive);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var group = (ICommunicator)ctx.get_data(GroupKey);
        var send = (long[])ctx.get_data(SendKey);
        var receive = (long[])ctx.get_data(ReceiveKey);
        // One entry per argument of apply: the group and the counts are not tensors and get no gradient.
        return [Exchange(grad_output.contiguous(), group, receive, send), null!, null!, null!];
    }
}
