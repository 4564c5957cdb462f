using BackpropService.Api.Access;
using BackpropService.Api.Apis;
using BackpropService.Api.Cluster;
using BackpropService.Api.Commands;
using BackpropService.Api.Datasets;
using BackpropService.Api.Extensions;
using BackpropService.Api.Hosting;
using BackpropService.Api.Hubs;
using BackpropService.Api.Models;
using BackpropService.Api.Observability;
using BackpropService.Api.OpenApi;
using BackpropService.Api.Persistence;
using BackpropService.Api.Predict;
using BackpropService.Api.Training;

if (args is [HealthCheckCommand.Name, .. var target]) return await HealthCheckCommand.RunAsync(target);

var builder = WebApplication.CreateBuilder(args);
var role = builder.AddServiceRole(args);

builder.AddServiceDefaults();
builder.AddObservability();
builder.AddPersistence();
builder.AddAccessControl();
builder.AddDatasets();
builder.AddModels();
builder.AddTraining(role);
if (role.ServesApi())
{
    builder.AddPredict();
    builder.AddRequestLimits();
    builder.AddApiDocumentation();
    builder.AddLiveUpdates();
    builder.AddDashboard();
}
builder.AddCluster(role);

var app = builder.Build();

app.Services.MigrateDatabase();

app.UseServiceDefaults();
if (role.ServesApi()) app.UseApiDocumentation(); // before access control: the Swagger UI is open to all
app.UseAccessControl();
if (role.ServesApi()) app.UseRequestLimits();

app.MapHealthEndpoints();
if (role.ServesApi())
{
    app.MapObservability();
    app.MapLimitsApi();
    app.MapDatasetsApi();
    app.MapJobsApi();
    app.MapSweepsApi();
    app.MapModelsApi();
    app.MapAliasesApi();
    app.MapPredictApi();
    app.MapExplainApi();
    app.MapKeysApi();
    app.MapTrainingHub();
    app.MapDashboard();
}

app.Run();
return 0;
