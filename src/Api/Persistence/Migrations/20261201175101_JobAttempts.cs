using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_CreatedByKeyId_Status_CreatedAt",
                table: "Jobs",
                columns: new[] { "CreatedByKeyId", "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_CreatedByKeyId_Status_CreatedAt",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "Jobs");
        }
    }
}
