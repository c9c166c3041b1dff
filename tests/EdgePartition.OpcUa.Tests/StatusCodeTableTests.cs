using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

public sealed class StatusCodeTableTests
{
    [Fact]
    public void EveryPart6CodeHasItsSymbolicName()
    {
        Assert.Equal("BadNodeIdUnknown", StatusCodes.Name(0x80340000));
        Assert.Equal("BadTooManyPublishRequests", StatusCodes.Name(StatusCodes.BadTooManyPublishRequests));
        Assert.Equal("GoodSubscriptionTransferred", StatusCodes.Name(0x002D0000));
        Assert.Equal("UncertainLastUsableValue", StatusCodes.Name(0x40900000));
        Assert.Equal(0x80790000u, StatusCodes.BadNoSubscription);
    }

    [Fact]
    public void DescribeNamesTheCodeAndKeepsTheHexValue()
    {
        Assert.Equal("BadNodeIdUnknown (0x80340000)", StatusCodes.Describe(StatusCodes.BadNodeIdUnknown));
        Assert.Equal("Good", StatusCodes.Describe(StatusCodes.Good));

        // Info bits (here: overflow 0x0080) do not hide the name.
        Assert.Equal("GoodMoreData (0x00A60080)", StatusCodes.Describe(0x00A60080));
        Assert.Equal("0x80FF0000", StatusCodes.Describe(0x80FF0000));
    }
}
