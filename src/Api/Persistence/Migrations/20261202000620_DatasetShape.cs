using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BackpropService.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DatasetShape : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ShapeChannels",
                table: "Datasets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ShapeHeight",
                table: "Datasets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ShapeWidth",
                table: "Datasets",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ShapeChannels",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ShapeHeight",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ShapeWidth",
                table: "Datasets");
        }
    }
}
