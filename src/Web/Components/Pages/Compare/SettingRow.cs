namespace BackpropService.Web.Components.Pages.Compare;

/// <summary>One job setting as the compare table shows it: its name and its value for each compared job, in column order.</summary>
public sealed record SettingRow(string Name, IReadOnlyList<string> Values);
