using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Orchestrator.Kernels.Moe;

/// <summary>
/// All-to-all as an autograd function: forward sends rows by <c>sendRows</c>; backward sends the gradients the
/// opposite way (receive and send counts swapped), so every rank's backward joins the same collective in turn.
/// </summary>
internal sealed class ExpertAllToAll : SingleTensorFunction<ExpertAllToAll>
{
    private const string ExchangeKey = "exchange";
    private const string SendKey = "send";
    private const string ReceiveKey = "receive";

    public override string Name => nameof(ExpertAllToAll);

    /// <summary>Differentiable exchange of <paramref name="input"/> [rows, hidden] over <paramref name="exchange"/>.</summary>
    public static Tensor Apply(Tensor input, IExpertExchange exchange, long[] sendRows, long[] receiveRows) =>
        apply(input, exchange, sendRows, receiveRows);

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var exchange = (IExpertExchange)vars[1];
        var send = (long[])vars[2];
        var receive = (long[])vars[3];
        ctx.save_data(ExchangeKey, exchange);
        ctx.save_data(SendKey, send);
        ctx.save_data(ReceiveKey, receive);
        return exchange.AllToAll(input.detach(), send, receive);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var exchange = (IExpertExchange)ctx.get_data(ExchangeKey);
        var send = (long[])ctx.get_data(SendKey);
        var receive = (long[])ctx.get_data(ReceiveKey);
        // One entry per argument of apply: the exchange and the counts are not tensors and get no gradient.
        return [exchange.AllToAll(grad_output.contiguous(), receive, send), null!, null!, null!];
    }
}
