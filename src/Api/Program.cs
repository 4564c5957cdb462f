using BackpropService.Api.Access;
using BackpropService.Api.Apis;
using BackpropService.Api.Cluster;
using BackpropService.Api.Commands;
using BackpropService.Api.Datasets;
using BackpropService.Api.Extensions;
using BackpropService.Api.Hubs;
using BackpropService.Api.Models;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Persistence;
using BackpropService.Api.Predict;
using BackpropService.Api.Training;

if (args is [HealthCheckCommand.Name, .. var target]) return await HealthCheckCommand.RunAsync(target);

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddObservability();
builder.AddPersistence();
builder.AddAccessControl();
builder.AddDatasets();
builder.AddModels();
builder.AddTraining();
builder.AddPredict();
builder.AddRequestLimits();
builder.AddApiDocumentation();
builder.AddLiveUpdates();
builder.AddCluster();
builder.AddDashboard();

var app = builder.Build();

app.Services.MigrateDatabase();

app.UseServiceDefaults();
app.UseApiDocumentation();
app.UseAccessControl();
app.UseRequestLimits();

app.MapHealthEndpoints();
app.MapObservability();
app.MapLimitsApi();
app.MapDatasetsApi();
app.MapJobsApi();
app.MapModelsApi();
app.MapAliasesApi();
app.MapPredictApi();
app.MapExplainApi();
app.MapKeysApi();
app.MapTrainingHub();
app.MapDashboard();

app.Run();
return 0;
