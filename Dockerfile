# BackpropService: build with the SDK, run on the ASP.NET Core runtime as a non-root user.
# The whole state is one SQLite file on the /data volume.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Restore first (cached while only code changes).
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Api/Api.csproj src/Api/
COPY src/Contracts/Contracts.csproj src/Contracts/
COPY src/Engine/Engine.csproj src/Engine/
COPY src/Web/Web.csproj src/Web/
RUN dotnet restore src/Api/Api.csproj
COPY src/ src/
RUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the health check only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Default="Data Source=/data/backprop.db"
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "BackpropService.Api.dll"]
