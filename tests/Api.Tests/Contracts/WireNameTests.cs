using System.Reflection;
using System.Text.Json;
using BackpropService.Api.Mapping;
using BackpropService.Contracts;
using BackpropService.Contracts.Json;
using BackpropService.Engine;
using BackpropService.Engine.Optimizers;
using Optimizer = BackpropService.Contracts.Optimizer;

namespace BackpropService.Api.Tests.Contracts;

/// <summary>An enum value has one name: the one <see cref="WireName"/> gives, which the JSON converter writes and reads.</summary>
public sealed class WireNameTests
{
    public static TheoryData<Type> ContractEnums() =>
        new(typeof(Activation).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic));

    [Theory]
    [MemberData(nameof(ContractEnums))]
    public void Every_contract_enum_value_round_trips_through_its_wire_name_and_the_json_converter(Type enumType)
    {
        var of = typeof(WireNameTests).GetMethod(nameof(NameOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(enumType);
        Array values = Enum.GetValues(enumType);
        Assert.Equal(values.Length, WireName.All(enumType).Count);
        for (int i = 0; i < values.Length; i++)
        {
            object value = values.GetValue(i)!;
            string name = (string)of.Invoke(null, [value])!;
            Assert.Equal(WireName.All(enumType)[i], name);
            Assert.Equal(JsonSerializer.Serialize(name), JsonSerializer.Serialize(value, enumType, ContractJson.Options));
            Assert.Equal(value, JsonSerializer.Deserialize(JsonSerializer.Serialize(name), enumType, ContractJson.Options));
        }
    }

    [Fact]
    public void The_wire_names_are_the_documented_ones()
    {
        Assert.Equal("sgd, momentum, nesterov, rmsprop, adam", WireName.Accepted<Optimizer>());
        Assert.Equal("identity, sigmoid, tanh, relu, leakyRelu, softmax", WireName.Accepted<Activation>());
        Assert.Equal("scaledNormal", WireName.Of(Initialization.ScaledNormal));
    }

    [Fact]
    public void The_engines_own_names_for_its_messages_match_the_wire_names_of_the_values_they_map_to()
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
            Assert.Equal(WireName.Of(activation), activation.ToEngine().ToCamelCase());
        foreach (Cost cost in Enum.GetValues<Cost>()) Assert.Equal(WireName.Of(cost), cost.ToEngine().ToCamelCase());
        foreach (Optimizer optimizer in Enum.GetValues<Optimizer>()) Assert.Equal(WireName.Of(optimizer), optimizer.ToEngine().ToCamelCase());
        foreach (Initialization init in Enum.GetValues<Initialization>()) Assert.Equal(WireName.Of(init), init.ToEngine().ToCamelCase());
        foreach (Normalization normalization in Enum.GetValues<Normalization>())
            Assert.Equal(WireName.Of(normalization), normalization.ToEngine().ToCamelCase());
        foreach (LearningTask task in Enum.GetValues<LearningTask>()) Assert.Equal(WireName.Of(task), task.ToEngine().ToCamelCase());
        Assert.Equal("sgd, momentum, nesterov, rmsprop or adam", EnumNames.Accepted<OptimizerKind>());
    }

    private static string NameOf<TEnum>(TEnum value) where TEnum : struct, Enum => WireName.Of(value);
}
