namespace BackpropService.Contracts;

/// <summary>Who created a job, dataset, model or key: the API key's id and its name at the time.</summary>
public sealed record Creator(string Id, string Name);
