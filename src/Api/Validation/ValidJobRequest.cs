using BackpropService.Contracts;

namespace BackpropService.Api.Validation;

/// <summary>A job request that passed every check: its options with defaults filled in, and its dataset.</summary>
public sealed record ValidJobRequest(JobOptions Options, DatasetInfo Dataset);
