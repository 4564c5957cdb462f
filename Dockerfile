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
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__Default="Data Source=/data/backprop.db"
VOLUME /data
EXPOSE 8080
# The service binary is its own health check (no curl in the image): `healthcheck` asks /health/ready on the
# port above (ASPNETCORE_HTTP_PORTS) and exits 0 on 200, 1 otherwise, without starting a second service.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "/app/BackpropService.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "BackpropService.Api.dll"]
