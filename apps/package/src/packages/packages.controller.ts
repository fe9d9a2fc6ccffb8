import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type PackageView, SCHEDULER_SERVICE } from '@drone-delivery/contracts';
import { InternalApi } from '@drone-delivery/http';
import { PatchPackageDto } from './patch-package.dto';
import { PackagesService } from './packages.service';
import { PutPackageDto } from './put-package.dto';

@ApiTags('internal')
@InternalApi({ callers: [SCHEDULER_SERVICE] })
@Controller('internal/v1/packages')
export class PackagesController {
  constructor(private readonly packages: PackagesService) {}

  @Put(':packageId')
  @ApiOperation({ summary: 'Create a package under the caller’s id (idempotent)' })
  @ApiCreatedResponse({ description: 'Created.' })
  @ApiOkResponse({ description: 'The same package already exists: a retry.' })
  @ApiConflictResponse({ description: 'The id exists with other contents.' })
  @ApiGoneResponse({ description: 'The id was deleted (or deleted before it was created).' })
  async putPackage(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Body() request: PutPackageDto,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<PackageView> {
    const result = await this.packages.putPackage(packageId, request);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return result.package;
  }

  @Get(':packageId')
  @ApiOperation({ summary: 'Read a package' })
  @ApiNotFoundResponse()
  findPackage(@Param('packageId', ParseUUIDPipe) packageId: string): Promise<PackageView> {
    return this.packages.findPackage(packageId);
  }

  @Patch(':packageId')
  @ApiOperation({ summary: 'Change a package’s size, weight or tag' })
  @ApiNotFoundResponse()
  patchPackage(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Body() changes: PatchPackageDto,
  ): Promise<PackageView> {
    return this.packages.patchPackage(packageId, changes);
  }

  @Delete(':packageId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a package; also 204 when it is already gone or never was. A later PUT of the id is 410',
  })
  @ApiNoContentResponse()
  deletePackage(@Param('packageId', ParseUUIDPipe) packageId: string): Promise<void> {
    return this.packages.deletePackage(packageId);
  }
}
